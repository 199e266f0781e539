/**
 * `pnpm eval [--data DIR] [--out DIR] [--tiers a,b] [--no-peer] [--limit N] [--only id,id] [--cache-dir DIR] [--tier-models tier=model+model,…] [--inference-cache DIR]`
 * Scores every tier's alpha matte (and the peer's) against ground truth; writes report.md and report.json.
 * `--cache-dir` (default data/models) is where model packs were pulled; `--tier-models` overrides the
 * models a tier may use, best first (as TIER_MODELS does for the server). The report names the model each tier used.
 * `--inference-cache` keeps model predictions on disk, so re-scoring after a post-processing change
 * skips the models and the peer (its ms/image then time only what was not cached).
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createEngine, isTierName, parseTierModels, TIER_NAMES, type TierName } from "@bgr/engine";
import { DEFAULT_DATA_DIR, findSamples, loadGroundTruth, REPO_ROOT } from "./dataset.ts";
import { scoreMatte, type MatteScores } from "./metrics.ts";
import { diskPredictionCache } from "./prediction-cache.ts";
import { PEER_ROW, PEER_VERSION, PeerProcess } from "./peer.ts";
import { isSoftAlpha, renderEvalMarkdown, sourceOf, summarise, type EvalReport } from "./eval-report.ts";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: DEFAULT_DATA_DIR },
    out: { type: "string", default: path.join(REPO_ROOT, "reports/eval") },
    tiers: { type: "string", default: TIER_NAMES.join(",") },
    "no-peer": { type: "boolean", default: false },
    limit: { type: "string" },
    "cache-dir": { type: "string", default: path.join(REPO_ROOT, "data/models") },
    "tier-models": { type: "string", default: "" },
    "inference-cache": { type: "string" },
    only: { type: "string" },
  },
});
const tiers = values.tiers.split(",").map((t) => t.trim());
for (const tier of tiers) if (!isTierName(tier)) throw new Error(`Unknown tier "${tier}". Use ${TIER_NAMES.join(", ")}.`);
const dataDir = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.data);
const outDir = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
let samples = findSamples(dataDir);
if (values.only) {
  const ids = new Set(values.only.split(","));
  samples = samples.filter((sample) => ids.has(sample.id));
}
if (values.limit) samples = samples.slice(0, Number(values.limit));
if (samples.length === 0) throw new Error(`No <id>.<jpg|png|webp> + <id>.alpha.png pairs in ${dataDir}.`);

const predictionCache = values["inference-cache"]
  ? diskPredictionCache(path.resolve(process.env.INIT_CWD ?? process.cwd(), values["inference-cache"]))
  : null;
const engine = await createEngine({
  cacheDir: path.resolve(process.env.INIT_CWD ?? process.cwd(), values["cache-dir"]),
  tierModels: parseTierModels(values["tier-models"]),
  ...(predictionCache ? { predictionCache } : {}),
});
const tierModels = Object.fromEntries(tiers.map((tier) => [tier, engine.tier(tier as TierName).model]));
console.error(`models: ${tiers.map((tier) => `${tier}=${tierModels[tier]}`).join(", ")}`);
const peerDir = await mkdtemp(path.join(os.tmpdir(), "bgr-peer-"));
const withPeer = !values["no-peer"];
// Started on the first image the inference cache lacks: the peer's pipeline is fixed, so its
// mattes are cached like our model's predictions (keyed by the peer's version and the photo's bytes).
let peer: PeerProcess | null = null;
const rows = [...tiers, ...(withPeer ? [PEER_ROW] : [])];
const perImage: EvalReport["perImage"] = [];

for (const [index, sample] of samples.entries()) {
  const { truth, ignore, width, height } = await loadGroundTruth(sample);
  const photo = await readFile(sample.photo);
  const image = await engine.decode(photo);
  if (image.width !== width || image.height !== height)
    throw new Error(`${sample.id}: photo ${image.width}x${image.height} but alpha ${width}x${height}.`);
  const scores: Record<string, MatteScores & { ms: number }> = {};
  const soft = isSoftAlpha(truth, ignore);
  for (const tier of tiers as TierName[]) {
    const started = performance.now();
    const matte = await engine.matte(image, tier);
    scores[tier] = { ...scoreMatte(matte.alpha, truth, width, height, ignore), ms: performance.now() - started };
  }
  if (withPeer) {
    const started = performance.now();
    const key = `${PEER_ROW}-${PEER_VERSION}-${createHash("sha1").update(photo).digest("hex")}`;
    let peerAlpha = predictionCache ? await predictionCache.get(key) : null;
    let ms = performance.now() - started;
    if (!peerAlpha) {
      peer ??= new PeerProcess(peerDir);
      const result = await peer.segment(sample.id, sample.photo);
      peerAlpha = Float32Array.from(result.alpha, (v) => v / 255);
      ms = result.ms;
      await predictionCache?.set(key, peerAlpha);
    }
    scores[PEER_ROW] = { ...scoreMatte(peerAlpha, truth, width, height, ignore), ms };
  }
  perImage.push({ id: sample.id, source: sourceOf(sample.id), soft, scores });
  const line = rows.map((r) => `${r} ${scores[r]!.mae.toFixed(4)}/${scores[r]!.boundaryF.toFixed(3)}`).join("  ");
  console.error(`[${index + 1}/${samples.length}] ${sample.id}  ${line}`);
}
peer?.close();
await rm(peerDir, { recursive: true, force: true });

const report: EvalReport = { data: dataDir, images: samples.length, rows: summarise(perImage, rows), perImage };
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, "report.json"), `${JSON.stringify({ ...report, tierModels }, null, 2)}\n`);
const markdown = renderEvalMarkdown(report, tiers);
await writeFile(path.join(outDir, "report.md"), markdown);
console.log(markdown);
