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
import { createEngine, ENGINE_PROCESS_ENV, isTierName, TIER_NAMES, type TierName } from "@bgr/engine";
import { BENCH_SIZES, makeBenchImages, makeProcessImages, type BenchSize } from "./bench-images.ts";
import { REPO_ROOT } from "./dataset.ts";
import { PEER_ROW, PeerProcess } from "./peer.ts";
import { median, percentile } from "./stats.ts";
import { inheritedEnv, invocationDir } from "./env.ts";

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
  /** The first removal after start-up (after the warm-up the server and worker run). */
  firstRequestMs: number;
  sizes: Record<BenchSize, { p50: number; p95: number; stages: Record<string, number> }>;
  imagesPerSecond: number;
  peakRssMb: number;
}

const workDir = await mkdtemp(path.join(os.tmpdir(), "bgr-bench-"));
const files = await makeBenchImages(workDir);
const processFiles = await makeProcessImages(workDir);
const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const results: TierBench[] = [];
const wholeProcessMs: Record<string, number> = {};
for (const tier of tiers) {
  console.error(`benchmarking ${tier}…`);
  // Measured as the server and worker run: with the engine's process environment.
  const env = { ...inheritedEnv(), ...ENGINE_PROCESS_ENV };
  const { stdout } = await run(
    process.execPath,
    [
      "--conditions=@bgr/source",
      "--import",
      "tsx",
      path.join(here, "bench-tier.ts"),
      tier,
      String(runs),
      values.throughput,
      JSON.stringify(files),
    ],
    {
      maxBuffer: 1 << 20,
      env,
    },
  );
  results.push(JSON.parse(stdout) as TierBench);
  const started = performance.now();
  await run(process.execPath, ["--conditions=@bgr/source", "--import", "tsx", path.join(here, "bench-process.ts"), tier, ...processFiles], {
    env,
  });
  wholeProcessMs[tier] = performance.now() - started;
}

let peer: {
  sizes: Record<BenchSize, { p50: number; p95: number }>;
  peakRssMb: number;
  rawPassMs: number;
  runtime: string;
  wholeProcessMs: number;
} | null = null;
if (!values["no-peer"]) {
  console.error("benchmarking the peer…");
  const engine = await createEngine({ cacheDir: path.join(REPO_ROOT, "data/models") });
  const modelFile = await engine.runner.modelFile(engine.tier("standard").model);
  const processStarted = performance.now();
  const oneOff = new PeerProcess(workDir);
  for (const [i, file] of processFiles.entries()) await oneOff.segment(`process-${i}`, file);
  oneOff.close();
  await oneOff.exited();
  const peerWholeProcessMs = performance.now() - processStarted;
  const process_ = new PeerProcess(workDir);
  const raw = await process_.rawPass("raw", modelFile);
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
  peer = { sizes, peakRssMb, rawPassMs: raw.ms, runtime: raw.version, wholeProcessMs: peerWholeProcessMs };
}
await rm(workDir, { recursive: true, force: true });

const ms = (v: number) => `${v.toFixed(0)} ms`;
const processEnv = Object.entries(ENGINE_PROCESS_ENV)
  .map(([k, v]) => `${k}=${v}`)
  .join(" ");
const lines = [
  `Benchmark: ${runs} runs per size, ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? "?"}); our processes run with ${processEnv}`,
  "",
];
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
  lines.push(
    `| ${PEER_ROW} | isnet-fp16 (ORT 1.17) | | ${ms(s["1MP"].p50)} / ${ms(s["1MP"].p95)} | ${ms(s["4MP"].p50)} / ${ms(s["4MP"].p95)} | ${ms(s["12MP"].p50)} / ${ms(s["12MP"].p95)} | | | ${peer.peakRssMb.toFixed(0)} MB |`,
  );
  lines.push("", "Speed-up over the peer (peer p50 / tier p50):", "", "| tier | 1MP | 4MP | 12MP |", "|---|---:|---:|---:|");
  for (const r of results) {
    lines.push(
      `| ${r.tier} | ${(Object.keys(BENCH_SIZES) as BenchSize[]).map((size) => `${(peer!.sizes[size].p50 / r.sizes[size].p50).toFixed(2)}x`).join(" | ")} |`,
    );
  }
}
lines.push(
  "",
  "Stage medians at 4MP (ms): " +
    results
      .map(
        (r) =>
          `${r.tier}: ${Object.entries(r.sizes["4MP"].stages)
            .map(([k, v]) => `${k.replace(/Ms$/, "")} ${v.toFixed(0)}`)
            .join(", ")}`,
      )
      .join("; "),
);
lines.push("", ...targetLines(results, peer));
const report = lines.join("\n");
console.log(report);
if (values.out) {
  const outDir = path.resolve(invocationDir(), values.out);
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, "bench.json"), `${JSON.stringify({ runs, tiers: results, wholeProcessMs, peer }, null, 2)}\n`);
  await writeFile(path.join(outDir, "bench.md"), `${report}\n`);
}

/** The issue's targets (#12), each as the measured ratio beside its bound. */
function targetLines(rows: TierBench[], peerRun: typeof peer): string[] {
  const out = ["Targets (measured in this run; ✓ met, ✗ not):", "", "| target | measured | bound | |", "|---|---:|---:|---|"];
  const check = (label: string, value: number, bound: number, higherIsBetter: boolean, unit = "x") => {
    const ok = higherIsBetter ? value >= bound : value <= bound;
    out.push(`| ${label} | ${value.toFixed(2)}${unit} | ${higherIsBetter ? ">=" : "<="} ${bound}${unit} | ${ok ? "✓" : "✗"} |`);
  };
  const wholeBound: Record<TierName, number> = { basic: 3, standard: 2.5, professional: 1.2, industry: 0.8 };
  for (const r of rows) {
    const tier = r.tier as TierName;
    if (peerRun)
      check(
        `${tier}: raw pass, peer's pass (ORT ${peerRun.runtime}) / ours`,
        peerRun.rawPassMs / r.rawInferenceMs.p50,
        tier === "basic" ? 2.5 : 1.8,
        true,
      );
    if (peerRun)
      check(
        `${tier}: whole process on three 4 MP JPEGs, peer / ours`,
        peerRun.wholeProcessMs / wholeProcessMs[tier]!,
        wholeBound[tier],
        true,
      );
    if (tier === "basic") check("basic: end to end at 4 MP / raw inference", r.sizes["4MP"].p50 / r.rawInferenceMs.p50, 1.3, false);
    check(`${tier}: first request after start (warmed) / warm request, 1 MP`, r.firstRequestMs / r.sizes["1MP"].p50, 1.5, false);
    check(`${tier}: peak RSS (12 MP the largest size), GB`, r.peakRssMb / 1024, 1.2, false, "");
  }
  if (peerRun)
    out.push(
      "",
      `Peer raw pass ${peerRun.rawPassMs.toFixed(0)} ms; whole process: peer ${(peerRun.wholeProcessMs / 1000).toFixed(1)} s, ${rows.map((r) => `${r.tier} ${(wholeProcessMs[r.tier]! / 1000).toFixed(1)} s`).join(", ")}.`,
    );
  return out;
}
