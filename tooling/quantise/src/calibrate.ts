import type ort from "onnxruntime-node";
import { decodeModel, encodeModel, onnx, type Model, analyseTrunk } from "@bgr/engine/quantise";
import { modelInput } from "./photos.ts";
import { openSession } from "./session.ts";

/** Per-tensor values seen in calibration: exact extremes and a sorted random sample. */
export interface TensorStats {
  min: number;
  max: number;
  /** Sorted ascending. */
  sample: Float32Array;
}

/**
 * Tensors whose ranges a QDQ graph needs: every activation except the Conv outputs that go straight
 * into a Relu (quantised after the Relu) and the pass-through ops that reuse their input's range.
 */
export function calibratedTensors(model: Model): string[] {
  const trunk = analyseTrunk(model);
  return [...trunk.activations].filter((t) => {
    const p = trunk.producer.get(t);
    if (!p) return false;
    if (p.opType === "MaxPool" || p.opType === "Resize") return false;
    const c = trunk.consumers.get(t) ?? [];
    return !(p.opType === "Conv" && c.length === 1 && c[0]!.opType === "Relu");
  });
}

const SAMPLE_PER_IMAGE = 32768;

/** Runs the fp32 graph with every calibrated tensor as an output, over the photos. */
export async function calibrate(
  fp32: Uint8Array,
  photos: readonly string[],
  log: (line: string) => void = () => {},
): Promise<Map<string, TensorStats>> {
  const model = decodeModel(fp32);
  const names = calibratedTensors(model);
  const graph = model.graph!;
  graph.output = names.map((name) => onnx.ValueInfoProto.create({ name }));
  // An output without a declared type is rejected by ORT; a float tensor of unknown shape is enough.
  for (const o of graph.output) o.type = onnx.TypeProto.create({ tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } });
  const session = await openSession(encodeModel(model));
  const mins = new Map<string, number>();
  const maxs = new Map<string, number>();
  const samples = new Map<string, Float32Array[]>();
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
  for (const [index, photo] of photos.entries()) {
    const t0 = performance.now();
    const result = await session.run({ input: await modelInput(photo) }, names);
    for (const name of names) {
      const data = result[name]!.data as Float32Array;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < data.length; i++) {
        const v = data[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      mins.set(name, Math.min(mins.get(name) ?? Infinity, lo));
      maxs.set(name, Math.max(maxs.get(name) ?? -Infinity, hi));
      const pick = new Float32Array(SAMPLE_PER_IMAGE);
      for (let i = 0; i < pick.length; i++) pick[i] = data[Math.floor(random() * data.length)]!;
      samples.set(name, [...(samples.get(name) ?? []), pick]);
      (result[name] as ort.Tensor).dispose?.();
    }
    log(`calibrated ${index + 1}/${photos.length} in ${Math.round(performance.now() - t0)} ms`);
  }
  await session.release();
  const stats = new Map<string, TensorStats>();
  for (const name of names) {
    const parts = samples.get(name)!;
    const sample = new Float32Array(parts.length * SAMPLE_PER_IMAGE);
    parts.forEach((p, i) => sample.set(p, i * SAMPLE_PER_IMAGE));
    sample.sort();
    stats.set(name, { min: mins.get(name)!, max: maxs.get(name)!, sample });
  }
  return stats;
}
