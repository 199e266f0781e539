/**
 * The quantiser's driver (a build-time tool, not shipped): build the fp32 graph, calibrate, score
 * configs against the fp16 predictions, and write the engine's recipe. See ../README.md.
 *   tsx src/experiment.ts fp32 <fp16.onnx> <out.onnx>
 *   tsx src/experiment.ts calibrate <fp32.onnx> <dataDir> <statsPrefix> <every-nth>
 *   tsx src/experiment.ts score <fp32.onnx> <statsPrefix> <refDir> <dataDir> <config.json> <out.onnx> [ids]
 *   tsx src/experiment.ts sweep <fp32.onnx> <statsPrefix> <refDir> <dataDir> <config.json> <groups.json> <ids>
 *   tsx src/experiment.ts recipe <fp32.onnx> <statsPrefix> <dataDir> <config.json> <every-nth>
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ort from "onnxruntime-node";
import { correctBiases } from "./bias.ts";
import { calibrate, type TensorStats } from "./calibrate.ts";
import { decodeModel, encodeModel } from "../../../packages/engine/src/models/quantise/onnx-graph.ts";
import { devPhotos, modelInput } from "./photos.ts";
import { isnetFp32, ISNET_INT8_RECIPE_FILE, type Int8Recipe } from "../../../packages/engine/src/models/quantise/isnet-int8.ts";
import type { Node } from "../../../packages/engine/src/models/quantise/onnx-graph.ts";
import { insertQdq, type Range } from "../../../packages/engine/src/models/quantise/qdq.ts";
import { chooseRange, type RangeMethod } from "./ranges.ts";
import { openSession, predict } from "./session.ts";

const [command, ...args] = process.argv.slice(2);

function saveStats(prefix: string, stats: Map<string, TensorStats>) {
  const index: Record<string, { min: number; max: number; offset: number; length: number }> = {};
  let offset = 0;
  for (const [name, s] of stats) {
    index[name] = { min: s.min, max: s.max, offset, length: s.sample.length };
    offset += s.sample.length;
  }
  const all = new Float32Array(offset);
  for (const [name, s] of stats) all.set(s.sample, index[name]!.offset);
  writeFileSync(`${prefix}.json`, JSON.stringify(index));
  writeFileSync(`${prefix}.f32`, Buffer.from(all.buffer));
}

function loadStats(prefix: string): Map<string, TensorStats> {
  const index = JSON.parse(readFileSync(`${prefix}.json`, "utf8")) as Record<
    string,
    { min: number; max: number; offset: number; length: number }
  >;
  const buf = readFileSync(`${prefix}.f32`);
  const all = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  return new Map(
    Object.entries(index).map(([name, e]) => [name, { min: e.min, max: e.max, sample: all.subarray(e.offset, e.offset + e.length) }]),
  );
}

interface Config {
  name: string;
  method: RangeMethod;
  /** Node-name prefixes kept in float. */
  floatPrefixes?: string[];
  /** Per-tensor method overrides by name prefix. */
  threads?: number;
  /** Convs working at this side (pixels) or smaller stay float (the cheap inner layers). */
  floatAtOrBelow?: number;
  /** Range methods for single tensors, by name (the rest use `method`). */
  tensorMethods?: Record<string, RangeMethod>;
  /** Only the convs whose name matches this regular expression are int8 (overrides floatAtOrBelow). */
  int8Convs?: string;
  /** Rounds of empirical bias correction (0: none). */
  biasCorrection?: number;
  /** Bias correction runs on every n-th dev photo. */
  biasEvery?: number;
}

/** Side of the feature map an ISNet conv works on at 1024² input, from its export name. */
export function isnetConvSide(name: string): number | null {
  const m = /^\/stage(\d)d?\/rebnconv(in|\d)d?\//.exec(name);
  if (!m) return null;
  const stage = Number(m[1]);
  const side = 512 >> (stage - 1);
  // Stages 5, 6 and 5d are RSU-4F blocks: dilated convs, no pooling inside.
  if (m[2] === "in" || m[2] === "1" || stage >= 5) return side;
  return side >> (Number(m[2]) - 1);
}

function rangesOf(stats: Map<string, TensorStats>, config: Config): Map<string, Range> {
  return new Map([...stats].map(([name, s]) => [name, chooseRange(s, config.tensorMethods?.[name] ?? config.method)]));
}

function keepFloatOf(config: Config): (n: Node) => boolean {
  const prefixes = config.floatPrefixes ?? [];
  const int8 = config.int8Convs === undefined ? null : new RegExp(config.int8Convs);
  return (n) =>
    prefixes.some((p) => n.name!.startsWith(p)) ||
    (int8 !== null && n.opType === "Conv" && !int8.test(n.name!)) ||
    (int8 === null &&
      config.floatAtOrBelow !== undefined &&
      n.opType === "Conv" &&
      (isnetConvSide(n.name!) ?? Infinity) <= config.floatAtOrBelow);
}

/** MAE of a model's prediction against the fp16 one, per photo. */
async function scoreAgainstReference(
  session: ort.InferenceSession,
  refDir: string,
  dataDir: string,
  wanted: Set<string> | null,
  log: (line: string) => void,
): Promise<{ id: string; mae: number; ms: number }[]> {
  const rows: { id: string; mae: number; ms: number }[] = [];
  for (const photo of devPhotos(dataDir)) {
    if (wanted && !wanted.has(photo.id)) continue;
    const refFile = path.join(refDir, `${photo.id}.f32`);
    if (!existsSync(refFile)) continue;
    const rb = readFileSync(refFile);
    const ref = new Float32Array(rb.buffer, rb.byteOffset, rb.byteLength / 4);
    const input = await modelInput(photo.file);
    const t0 = performance.now();
    const p = await predict(session, input);
    const ms = performance.now() - t0;
    let sum = 0;
    for (let i = 0; i < p.length; i++) sum += Math.abs(p[i]! - ref[i]!);
    rows.push({ id: photo.id, mae: sum / p.length, ms });
    log(`${photo.id}\t${(sum / p.length).toFixed(5)}\t${Math.round(ms)} ms`);
  }
  return rows;
}

if (command === "fp32") {
  const [input, output] = args as [string, string];
  writeFileSync(output, isnetFp32(readFileSync(input)));
} else if (command === "calibrate") {
  const [fp32, dataDir, prefix, nth] = args as [string, string, string, string];
  const photos = devPhotos(dataDir).filter((_, i) => i % Number(nth) === 0);
  console.log("calibration photos:", photos.map((p) => p.id).join(","));
  saveStats(
    prefix,
    await calibrate(
      readFileSync(fp32),
      photos.map((p) => p.file),
      console.log,
    ),
  );
} else if (command === "score") {
  const [fp32, prefix, refDir, dataDir, configJson, out, ids] = args as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  const config = JSON.parse(configJson) as Config;
  const stats = loadStats(prefix);
  const ranges = rangesOf(stats, config);
  const keepFloat = keepFloatOf(config);
  const fp32Bytes = readFileSync(fp32);
  let model = insertQdq(decodeModel(fp32Bytes), { ranges, keepFloat });
  let current: Uint8Array = fp32Bytes;
  for (let round = 0; round < (config.biasCorrection ?? 0); round++) {
    // Convs that were quantised, by output tensor, with their float bias in the fp32 graph.
    const quantisedConvs = new Set(
      model.graph!.node!.filter((n) => n.opType === "Conv" && n.input![1]!.endsWith("_weight_dq")).map((n) => n.name!),
    );
    const base = decodeModel(current);
    const convs = new Map(
      base.graph!.node!.filter((n) => quantisedConvs.has(n.name!) && n.input![2]).map((n) => [n.output![0]!, n.input![2]!]),
    );
    const photos = devPhotos(dataDir)
      .filter((_, i) => i % (config.biasEvery ?? 10) === 0)
      .map((p) => p.file);
    await correctBiases(base, fp32Bytes, encodeModel(model), convs, photos);
    const corrected = encodeModel(base);
    current = corrected;
    writeFileSync(`${out}.fp32-corrected.onnx`, corrected);
    model = insertQdq(decodeModel(corrected), { ranges, keepFloat });
    console.log(`bias correction round ${round + 1} on ${photos.length} photos`);
  }
  writeFileSync(out, encodeModel(model));
  const session = await openSession(out, config.threads ?? 2, `${out}.opt.onnx`);
  const optimised = decodeModel(readFileSync(`${out}.opt.onnx`));
  const ops: Record<string, number> = {};
  for (const n of optimised.graph!.node!) ops[n.opType!] = (ops[n.opType!] ?? 0) + 1;
  console.log(config.name, "optimised ops", JSON.stringify(ops));
  const rows = await scoreAgainstReference(session, refDir, dataDir, ids ? new Set(ids.split(",")) : null, console.log);
  const maes = rows.map((r) => r.mae);
  const over = rows.filter((r) => r.mae > 0.01);
  const summary = {
    config: config.name,
    n: rows.length,
    mean: maes.reduce((a, b) => a + b, 0) / rows.length,
    max: Math.max(...maes),
    over: over.map((r) => `${r.id}:${r.mae.toFixed(4)}`),
    medianMs: rows.map((r) => r.ms).sort((a, b) => a - b)[Math.floor(rows.length / 2)],
    worst: [...rows]
      .sort((a, b) => b.mae - a.mae)
      .slice(0, 8)
      .map((r) => `${r.id}:${r.mae.toFixed(4)}`),
  };
  console.log("SUMMARY", JSON.stringify(summary));
  void ort;
} else if (command === "sweep") {
  // Sensitivity: the base config plus one group of convs int8 at a time, scored on a few photos.
  const [fp32, prefix, refDir, dataDir, configJson, groupsJson, ids] = args as [string, string, string, string, string, string, string];
  const base = JSON.parse(configJson) as Config;
  // A group is a pattern of convs made int8 on top of the base, or config fields that replace the base's.
  const groups = JSON.parse(groupsJson) as Record<string, string | Partial<Config>>;
  const stats = loadStats(prefix);
  const fp32Bytes = readFileSync(fp32);
  for (const [label, group] of Object.entries({ base: {}, ...groups })) {
    const config: Config = typeof group === "string" ? { ...base, int8Convs: `(${base.int8Convs})|(${group})` } : { ...base, ...group };
    const ranges = rangesOf(stats, config);
    const session = await openSession(encodeModel(insertQdq(decodeModel(fp32Bytes), { ranges, keepFloat: keepFloatOf(config) })));
    const rows = await scoreAgainstReference(session, refDir, dataDir, new Set(ids.split(",")), () => {});
    await session.release();
    const mean = rows.reduce((a, r) => a + r.mae, 0) / rows.length;
    console.log(`SWEEP\t${label}\tmean ${mean.toFixed(5)}\t${rows.map((r) => `${r.id}:${r.mae.toFixed(5)}`).join(" ")}`);
  }
} else if (command === "recipe") {
  // Writes the engine's recipe: the config's ranges for the tensors its QDQ graph quantises.
  const [fp32, prefix, dataDir, configJson, nth] = args as [string, string, string, string, string];
  const config = JSON.parse(configJson) as Config;
  if (config.floatPrefixes?.length || config.biasCorrection) throw new Error("The engine's recipe holds ranges and int8 convs only.");
  const ranges = rangesOf(loadStats(prefix), config);
  const model = insertQdq(decodeModel(readFileSync(fp32)), { ranges, keepFloat: keepFloatOf(config) });
  const int8Convs = model.graph!.node!.filter((n) => n.opType === "Conv" && n.input![1]!.endsWith("_weight_dq")).map((n) => n.name!);
  const used = new Set(model.graph!.initializer!.map((t) => t.name!));
  const recipe: Int8Recipe = {
    calibration: {
      photos: devPhotos(dataDir)
        .filter((_, i) => i % Number(nth) === 0)
        .map((p) => p.id),
      method: JSON.stringify(config.method),
      runtime: `onnxruntime-node ${ort.env.versions.node ?? ""}`.trim(),
    },
    int8Convs,
    ranges: Object.fromEntries([...ranges].filter(([name]) => used.has(`${name}_scale`)).map(([name, r]) => [name, [r.lo, r.hi]])),
  };
  writeFileSync(ISNET_INT8_RECIPE_FILE, `${JSON.stringify(recipe, null, 1)}\n`);
  console.log(`wrote ${Object.keys(recipe.ranges).length} ranges to ${ISNET_INT8_RECIPE_FILE}`);
}
