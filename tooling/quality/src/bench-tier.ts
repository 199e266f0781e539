/**
 * One tier's benchmark in its own process, so its peak RSS is its own.
 * argv: <tier> <runs> <throughputImages> <json map of size -> file>. Prints one JSON line.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createEngine, isTierName } from "@bgr/engine";
import { REPO_ROOT } from "./dataset.ts";
import { median, percentile } from "./stats.ts";

const [tier, runsArg, throughputArg, filesArg] = process.argv.slice(2);
if (!isTierName(tier)) throw new Error(`unknown tier ${tier}`);
const runs = Number(runsArg),
  throughputImages = Number(throughputArg);
const files = JSON.parse(filesArg!) as Record<string, string>;

const engine = await createEngine({ cacheDir: path.join(REPO_ROOT, "data/models") });
const model = engine.runner.model(engine.tier(tier).model);
// As the server and worker start: warm-up before the first request.
await engine.warmUp([tier]);
const firstBytes = await readFile(files["1MP"]!);
const firstStarted = performance.now();
await engine.remove(firstBytes, { tier });
const firstRequestMs = performance.now() - firstStarted;

// Raw inference alone: the model's forward pass on a prepared input, nothing else.
const input = new Uint8Array(model.inputSize * model.inputSize * 3).map((_, i) => (i * 37) % 251);
const rawMs: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  await engine.runner.predict(model.id, input);
  rawMs.push(performance.now() - started);
}

const sizes: Record<string, { p50: number; p95: number; stages: Record<string, number> }> = {};
for (const [size, file] of Object.entries(files)) {
  const bytes = await readFile(file);
  const totals: number[] = [];
  const stages: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await engine.remove(bytes, { tier });
    totals.push(performance.now() - started);
    for (const [stage, ms] of Object.entries(result.timings)) (stages[stage] ??= []).push(ms);
  }
  sizes[size] = {
    p50: median(totals),
    p95: percentile(totals, 95),
    stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, median(v)])),
  };
}

// Throughput: images back to back, the way a worker drains a queue.
const throughputFile = files["1MP"]!;
const throughputBytes = await readFile(throughputFile);
const started = performance.now();
for (let i = 0; i < throughputImages; i++) await engine.remove(throughputBytes, { tier });
const imagesPerSecond = throughputImages / ((performance.now() - started) / 1000);

process.stdout.write(
  `${JSON.stringify({ tier, model: model.id, rawInferenceMs: { p50: median(rawMs), p95: percentile(rawMs, 95) }, firstRequestMs, sizes, imagesPerSecond, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
