/** Research: relative error of each activation, QDQ against fp32, on one photo (network order). */
import { readFileSync } from "node:fs";
import { calibratedTensors } from "./calibrate.ts";
import { decodeModel, encodeModel, onnx } from "@bgr/engine/quantise";
import { modelInput } from "./photos.ts";
import { openSession } from "./session.ts";

const [fp32File, qdqFile, photo] = process.argv.slice(2) as [string, string, string];
const fp32 = readFileSync(fp32File);
const names = calibratedTensors(decodeModel(fp32));
const expose = (bytes: Uint8Array) => {
  const m = decodeModel(bytes);
  m.graph!.output = names.map((name) =>
    onnx.ValueInfoProto.create({ name, type: onnx.TypeProto.create({ tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } }) }),
  );
  return encodeModel(m);
};
const input = await modelInput(photo);
const relative = new Map<string, number>();
const exact = new Map<string, Float32Array>();
{
  const s = await openSession(expose(fp32));
  const r = await s.run({ input }, names);
  for (const n of names) exact.set(n, r[n]!.data as Float32Array);
}
{
  const s = await openSession(expose(readFileSync(qdqFile)));
  const r = await s.run({ input }, names);
  for (const n of names) {
    const q = r[n]!.data as Float32Array;
    const e = exact.get(n)!;
    let num = 0;
    let den = 0;
    for (let i = 0; i < e.length; i++) {
      num += (q[i]! - e[i]!) ** 2;
      den += e[i]! ** 2;
    }
    relative.set(n, Math.sqrt(num / Math.max(den, 1e-12)));
  }
}
for (const n of names) console.log(relative.get(n)!.toFixed(4), n);
