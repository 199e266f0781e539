import { decodeModel, encodeModel, floatTensor, floatValues, dimsOf, onnx, type Model } from "@bgr/engine/quantise";
import { modelInput } from "./photos.ts";
import { openSession } from "./session.ts";

const FLOAT_TYPE = () => onnx.TypeProto.create({ tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } });

/** The model with the given tensors as its only outputs. */
function exposing(bytes: Uint8Array, names: readonly string[]): Uint8Array {
  const model = decodeModel(bytes);
  model.graph!.output = names.map((name) => onnx.ValueInfoProto.create({ name, type: FLOAT_TYPE() }));
  return encodeModel(model);
}

async function channelMeans(bytes: Uint8Array, names: readonly string[], photos: readonly string[]): Promise<Map<string, Float64Array>> {
  const session = await openSession(exposing(bytes, names));
  const sums = new Map<string, Float64Array>();
  for (const photo of photos) {
    const result = await session.run({ input: await modelInput(photo) }, names);
    for (const name of names) {
      const t = result[name]!;
      const [, c, h, w] = t.dims as number[];
      const data = t.data as Float32Array;
      const plane = h! * w!;
      const sum = sums.get(name) ?? new Float64Array(c!);
      for (let k = 0; k < c!; k++) {
        let s = 0;
        for (let i = 0; i < plane; i++) s += data[k * plane + i]!;
        sum[k]! += s / plane / photos.length;
      }
      sums.set(name, sum);
    }
  }
  await session.release();
  return sums;
}

/**
 * Empirical bias correction: the mean per-channel shift of each quantised conv's output (QDQ graph
 * against the fp32 one, on the calibration photos) is subtracted from that conv's float bias, so
 * weight and activation rounding do not move the activations' means layer after layer.
 * `convs` maps each conv's output tensor to its bias initializer in the fp32 model.
 */
export async function correctBiases(
  fp32: Model,
  fp32Bytes: Uint8Array,
  qdqBytes: Uint8Array,
  convs: ReadonlyMap<string, string>,
  photos: readonly string[],
): Promise<void> {
  const names = [...convs.keys()];
  const exact = await channelMeans(fp32Bytes, names, photos);
  const quantised = await channelMeans(qdqBytes, names, photos);
  const initializers = new Map(fp32.graph!.initializer!.map((t, i) => [t.name!, i]));
  for (const [output, biasName] of convs) {
    const index = initializers.get(biasName)!;
    const bias = fp32.graph!.initializer![index]!;
    const values = floatValues(bias);
    const e = exact.get(output)!;
    const q = quantised.get(output)!;
    for (let c = 0; c < values.length; c++) values[c]! -= q[c]! - e[c]!;
    fp32.graph!.initializer![index] = floatTensor(bias.name!, dimsOf(bias), values);
  }
}
