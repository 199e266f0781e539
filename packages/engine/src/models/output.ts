import type { RegisteredModel } from "./model.ts";

/** The parts of an ONNX Runtime output tensor this module reads (kept structural so it stays pure). */
export interface OutputTensor {
  type: string;
  data: unknown;
}

/**
 * Turns a model's raw output into `plane` foreground probabilities in 0..1: the first channel of
 * a float32 or float16 tensor (BEN2 declares a float16 output, which ONNX Runtime hands back as raw
 * 16-bit words), a sigmoid for logits, then the model's own min-max stretch where it has one.
 */
export function toProbabilities(tensor: OutputTensor, model: RegisteredModel, plane: number): Float32Array {
  const values = asFloat32(tensor, model.id);
  if (values.length < plane || values.length % plane !== 0) {
    throw new Error(`Model ${model.id} returned ${values.length} values, expected ${plane} (one ${Math.sqrt(plane)}² channel).`);
  }
  const output = values.length === plane ? values : values.slice(0, plane);
  if (!model.outputIsProbability) for (let i = 0; i < plane; i++) output[i] = 1 / (1 + Math.exp(-output[i]!));
  if (model.minMaxNormalise) stretchMinMax(output);
  return output;
}

function asFloat32(tensor: OutputTensor, modelId: string): Float32Array {
  if (tensor.type === "float32") return tensor.data as Float32Array;
  if (tensor.type === "float16") {
    const data = tensor.data as ArrayLike<number>;
    // A runtime with a native Float16Array gives numbers already; otherwise these are the raw bits.
    if (!(data instanceof Uint16Array)) return Float32Array.from(data);
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = halfToFloat(data[i]!);
    return out;
  }
  throw new Error(`Model ${modelId} returns ${tensor.type} values; only float32 and float16 outputs are supported.`);
}

/** IEEE 754 binary16 bits to a number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function stretchMinMax(values: Float32Array) {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // A flat prediction (an empty or a fully covered frame) has no range to stretch; leave it be.
  const range = max - min;
  if (!(range > 1e-6)) return;
  for (let i = 0; i < values.length; i++) values[i] = (values[i]! - min) / range;
}
