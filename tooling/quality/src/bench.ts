/**
 * `pnpm bench [--runs N] [--throughput N] [--tiers a,b] [--no-peer] [--out DIR]`
 * Per tier: p50/p95 end-to-end latency on 1, 4 and 12 MP JPEGs beside the raw model inference
 * time, throughput, peak RSS; the peer on the same images; the ratios the targets are stated in.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { isTierName, TIER_NAMES } from "@bgr/engine";
import { BENCH_SIZES, makeBenchImages, type BenchSize } from "./bench-images.ts";
import { PEER_ROW, PeerProcess } from "./peer.ts";
import { median, percentile } from "./stats.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    throughput: { type: "string", default: "6" },
    tiers: { type: "string", default: TIER_NAMES.join(",") },
    "no-peer": { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const runs = Number(values.runs);
const tiers = values.tiers.split(",");
for (const tier of tiers) if (!isTierName(tier)) throw new Error(`Unknown tier "${tier}".`);

interface TierBench {
  tier: string;
  model: string;
  rawInferenceMs: { p50: number; p95: number };
  sizes: Record<BenchSize, { p50: number; p95: number; stages: Record<string, number> }>;
  imagesPerSecond: number;
  peakRssMb: number;
}

const workDir = await mkdtemp(path.join(os.tmpdir(), "bgr-bench-"));
const files = await makeBenchImages(workDir);
const tierScript = path.join(path.dirname(fileURLToPath(import.meta.url)), "bench-tier.ts");
const results: TierBench[] = [];
for (const tier of tiers) {
  console.error(`benchmarking ${tier}…`);
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", tierScript, tier, String(runs), values.throughput, JSON.stringify(files)], {
    maxBuffer: 1 << 20,
  });
  results.push(JSON.parse(stdout) as TierBench);
}

let peer: { sizes: Record<BenchSize, { p50: number; p95: number }>; peakRssMb: number } | null = null;
if (!values["no-peer"]) {
  console.error("benchmarking the peer…");
  const process_ = new PeerProcess(workDir);
  await process_.segment("warm-up", files["1MP"]);
  const sizes = {} as Record<BenchSize, { p50: number; p95: number }>;
  let peakRssMb = 0;
  for (const size of Object.keys(BENCH_SIZES) as BenchSize[]) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const result = await process_.segment(`${size}-${i}`, files[size]);
      times.push(result.ms);
      peakRssMb = Math.max(peakRssMb, result.peakRssMb);
    }
    sizes[size] = { p50: median(times), p95: percentile(times, 95) };
  }
  process_.close();
  peer = { sizes, peakRssMb };
}
await rm(workDir, { recursive: true, force: true });

const ms = (v: number) => `${v.toFixed(0)} ms`;
const lines = [`Benchmark: ${runs} runs per size, ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? "?"})`, ""];
lines.push("| tier | model | raw inference p50 | 1MP p50/p95 | 4MP p50/p95 | 12MP p50/p95 | 4MP / raw | img/s (1MP) | peak RSS |");
lines.push("|---|---|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  const s = r.sizes;
  lines.push(
    `| ${r.tier} | ${r.model} | ${ms(r.rawInferenceMs.p50)} | ${ms(s["1MP"].p50)} / ${ms(s["1MP"].p95)} | ${ms(s["4MP"].p50)} / ${ms(s["4MP"].p95)} | ${ms(s["12MP"].p50)} / ${ms(s["12MP"].p95)} | ${(s["4MP"].p50 / r.rawInferenceMs.p50).toFixed(2)}x | ${r.imagesPerSecond.toFixed(2)} | ${r.peakRssMb.toFixed(0)} MB |`,
  );
}
if (peer) {
  const s = peer.sizes;
  lines.push(`| ${PEER_ROW} | isnet fp32 | | ${ms(s["1MP"].p50)} / ${ms(s["1MP"].p95)} | ${ms(s["4MP"].p50)} / ${ms(s["4MP"].p95)} | ${ms(s["12MP"].p50)} / ${ms(s["12MP"].p95)} | | | ${peer.peakRssMb.toFixed(0)} MB |`);
  lines.push("", "Speed-up over the peer (peer p50 / tier p50):", "", "| tier | 1MP | 4MP | 12MP |", "|---|---:|---:|---:|");
  for (const r of results) {
    lines.push(`| ${r.tier} | ${(Object.keys(BENCH_SIZES) as BenchSize[]).map((size) => `${(peer!.sizes[size].p50 / r.sizes[size].p50).toFixed(2)}x`).join(" | ")} |`);
  }
}
lines.push("", "Stage medians at 4MP (ms): " + results.map((r) => `${r.tier}: ${Object.entries(r.sizes["4MP"].stages).map(([k, v]) => `${k.replace(/Ms$/, "")} ${v.toFixed(0)}`).join(", ")}`).join("; "));
lines.push("", "Targets: basic 4MP <= 1.3x raw fp16; professional 4MP <= 3x raw fp32; every tier up to professional >= 2x faster than the peer.");
const report = lines.join("\n");
console.log(report);
if (values.out) {
  const outDir = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, "bench.json"), `${JSON.stringify({ runs, tiers: results, peer }, null, 2)}\n`);
  await writeFile(path.join(outDir, "bench.md"), `${report}\n`);
}
