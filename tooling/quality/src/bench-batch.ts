/**
 * `pnpm bench:batch [--images 100] [--tier standard] [--memory-images 500] [--memory-tier basic] [--concurrency 1] [--out DIR]`
 * A batch end to end on a real PostgreSQL (TEST_DATABASE_URL or local): upload through HTTP, one
 * worker process drains it. Prints wall time, images/s, the ratio to the single-image inference
 * rate, the issue's target (#12: 100 standard images in at most 2.5 min on this machine, run in
 * full, never extrapolated), and the worker's RSS over a long batch (it must stay flat, not grow
 * with the batch). `--memory-images 0` skips the long batch.
 */
import { spawn } from "node:child_process";
import { readFile, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createEngine, ENGINE_PROCESS_ENV, isTierName, type TierName } from "@bgr/engine";
import { DEFAULT_DATA_DIR, REPO_ROOT } from "./dataset.ts";
import { median } from "./stats.ts";
import { startTestServer, type TestServer } from "../../../apps/server/test/harness.ts";
import { inheritedEnv, invocationDir } from "./env.ts";

const { values } = parseArgs({
  options: {
    images: { type: "string", default: "100" },
    tier: { type: "string", default: "standard" },
    "memory-images": { type: "string", default: "500" },
    "memory-tier": { type: "string", default: "basic" },
    // Removals the worker runs at once; its engine pool splits the cores between them (intra-op threads).
    concurrency: { type: "string", default: "1" },
    out: { type: "string" },
  },
});
const tier = values.tier as TierName;
const memoryTier = values["memory-tier"] as TierName;
if (!isTierName(tier) || !isTierName(memoryTier)) throw new Error("Unknown tier.");
const workerConcurrency = values.concurrency;
/** #12's batch target: a full run of 100 standard images, measured, never scaled from a shorter batch. */
const BATCH_TARGET = { images: 100, tier: "standard", minutes: 2.5 } as const;
const photo = await readFile(path.join(DEFAULT_DATA_DIR, "coco-145781-dog.jpg"));

const rawMs = await rawInferenceMs(tier);
const server = await startTestServer({ RUN_WORKER: "false", BATCH_RATE_LIMIT_PER_HOUR: "1000" });
try {
  const health = await healthUnderLoad(server, tier);
  const throughput = await runBatch(server, "bench-throughput", tier, Number(values.images));
  const memoryImages = Number(values["memory-images"]);
  const memory = memoryImages > 0 ? await runBatch(server, "bench-memory", memoryTier, memoryImages) : null;
  const imagesPerSecond = throughput.images / throughput.seconds;
  const lines = [
    `Batch benchmark on ${os.cpus().length} cores, one worker process (WORKER_CONCURRENCY=${workerConcurrency})`,
    "",
    `| batch | wall time | images/s | single-image raw inference | ratio to 1/inference | worker peak RSS | RSS at 10 % → 90 % |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    row(`${throughput.images} × ${tier}`, throughput, rawMs),
    ...(memory ? [row(`${memory.images} × ${memoryTier}`, memory, null)] : []),
  ];
  console.log(lines.join("\n"));
  console.log(
    `\n/health while 4 single ${tier} removals run in the server: p50 ${health.p50.toFixed(1)} ms, max ${health.max.toFixed(1)} ms (${health.samples} samples)`,
  );
  console.log(
    `\n${tier}: ${imagesPerSecond.toFixed(3)} images/s = ${(imagesPerSecond * (rawMs / 1000)).toFixed(2)} × the raw inference rate (1 / ${rawMs.toFixed(0)} ms)`,
  );
  console.log(`\n${targetLine(throughput, tier)}`);
  if (values.out) {
    const outDir = path.resolve(invocationDir(), values.out);
    await mkdir(outDir, { recursive: true });
    await writeFile(
      path.join(outDir, "bench-batch.json"),
      `${JSON.stringify({ rawInferenceMs: rawMs, health, throughput, memory }, null, 2)}\n`,
    );
  }
} finally {
  await server.close();
}

function targetLine(run: BatchRun, batchTier: TierName): string {
  const minutes = run.seconds / 60;
  const label = `Target: ${BATCH_TARGET.images} ${BATCH_TARGET.tier} images in <= ${BATCH_TARGET.minutes} min; measured ${run.images} × ${batchTier} in ${minutes.toFixed(2)} min`;
  if (run.images !== BATCH_TARGET.images || batchTier !== BATCH_TARGET.tier)
    return `${label} (not the target's batch: run --images 100 --tier standard)`;
  return `${label} ${minutes <= BATCH_TARGET.minutes ? "✓" : "✗"}`;
}

function row(label: string, run: BatchRun, raw: number | null) {
  const rate = run.images / run.seconds;
  return `| ${label} | ${run.seconds.toFixed(1)} s | ${rate.toFixed(3)} | ${raw ? `${raw.toFixed(0)} ms` : ""} | ${raw ? (rate * (raw / 1000)).toFixed(2) : ""} | ${run.peakRssMb.toFixed(0)} MB | ${run.rssEarlyMb.toFixed(0)} → ${run.rssLateMb.toFixed(0)} MB |`;
}

interface BatchRun {
  images: number;
  seconds: number;
  peakRssMb: number;
  rssEarlyMb: number;
  rssLateMb: number;
}

/** Uploads `images` copies of a photo as one batch, lets one worker process drain it, samples its RSS. */
async function runBatch(server: TestServer, userId: string, batchTier: TierName, images: number): Promise<BatchRun> {
  await server.runtime.deps.services.users.grant(userId, 100_000);
  const form = new FormData();
  form.set("tier", batchTier);
  for (let i = 0; i < images; i++) form.append("images", new Blob([photo]), `photo-${i}.jpg`);
  const worker = spawn(process.execPath, ["--conditions=@bgr/source", "--import", "tsx", "src/main.ts"], {
    cwd: path.join(REPO_ROOT, "apps/worker"),
    // As `pnpm worker` starts it (ENGINE_PROCESS_ENV), so its RSS is what a deployment sees.
    env: { ...inheritedEnv(), ...server.env, ...ENGINE_PROCESS_ENV, WORKER_CONCURRENCY: workerConcurrency, WORKER_ID: userId },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const started = performance.now();
    const response = await fetch(`${server.api}/batch`, {
      method: "POST",
      headers: { authorization: `Bearer ${await server.token(userId)}` },
      body: form,
    });
    if (response.status !== 201) throw new Error(`batch refused: ${response.status} ${await response.text()}`);
    const batchId = ((await response.json()) as { data: { batchId: string } }).data.batchId;
    const samples: { progress: number; rssMb: number }[] = [];
    for (;;) {
      const [row] = await server.database.sql`select progress_percent, zip_file_path from background_removal_batches where id = ${batchId}`;
      samples.push({ progress: Number(row!.progress_percent), rssMb: await rssMb(worker.pid!) });
      if (row!.zip_file_path) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const near = (p: number) => median(samples.filter((s) => Math.abs(s.progress - p) <= 5).map((s) => s.rssMb));
    return {
      images,
      seconds: (performance.now() - started) / 1000,
      peakRssMb: Math.max(...samples.map((s) => s.rssMb)),
      rssEarlyMb: near(10),
      rssLateMb: near(90),
    };
  } finally {
    worker.kill("SIGTERM");
  }
}

/** Latency of GET /health, sampled every 50 ms while the server itself runs four removals. */
async function healthUnderLoad(server: TestServer, removalTier: TierName) {
  await server.runtime.deps.services.users.grant("bench-health", 1000);
  const token = await server.token("bench-health");
  const removals = Array.from({ length: 4 }, () => {
    const form = new FormData();
    form.set("tier", removalTier);
    form.set("image", new Blob([photo]), "photo.jpg");
    return fetch(`${server.api}/remove`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  });
  let running = true;
  const settled = Promise.all(removals).finally(() => (running = false));
  const latencies: number[] = [];
  while (running) {
    const started = performance.now();
    await fetch(`${server.url}/health`);
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
  await settled;
  return { p50: median(latencies), max: Math.max(...latencies), samples: latencies.length };
}

/** Resident memory of a process and its threads (Linux /proc). */
async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** The model's forward pass alone, median of 5, as the reference rate for the batch's throughput. */
async function rawInferenceMs(batchTier: TierName): Promise<number> {
  const engine = await createEngine({ cacheDir: path.join(REPO_ROOT, "data/models") });
  const model = engine.runner.model(engine.tier(batchTier).model);
  const input = new Uint8Array(model.inputSize * model.inputSize * 3);
  await engine.runner.predict(model.id, input);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await engine.runner.predict(model.id, input);
    times.push(performance.now() - started);
  }
  return median(times);
}
