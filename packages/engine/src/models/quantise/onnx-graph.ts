import onnxProto from "onnx-proto";
import { halfToFloat } from "../output.ts";

export const { onnx } = onnxProto;
export type Model = onnxProto.onnx.ModelProto;
export type Node = onnxProto.onnx.INodeProto;
export type Tensor = onnxProto.onnx.ITensorProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const FLOAT16 = onnx.TensorProto.DataType.FLOAT16;

export function decodeModel(bytes: Uint8Array): Model {
  return onnx.ModelProto.decode(bytes);
}

export function encodeModel(model: Model): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}

let halfTable: Float32Array | null = null;
function halfToFloatTable(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) halfTable[bits] = halfToFloat(bits);
  }
  return halfTable;
}

/** A tensor's values as float32, whether stored as float or half, raw or typed. */
export function floatValues(tensor: Tensor): Float32Array {
  const raw = tensor.rawData && tensor.rawData.length ? tensor.rawData : null;
  if (tensor.dataType === FLOAT) {
    if (raw) return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    return Float32Array.from(tensor.floatData ?? []);
  }
  if (tensor.dataType === FLOAT16) {
    const table = halfToFloatTable();
    const bits = raw
      ? new Uint16Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
      : Uint16Array.from(tensor.int32Data ?? []);
    return Float32Array.from(bits, (b) => table[b]!);
  }
  throw new Error(`Tensor ${tensor.name} is ${tensor.dataType}, not a float type.`);
}

export function floatTensor(name: string, dims: readonly number[], values: Float32Array): Tensor {
  return onnx.TensorProto.create({
    name,
    dims: [...dims],
    dataType: FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  });
}

export function dimsOf(tensor: Tensor): number[] {
  return (tensor.dims ?? []).map(Number);
}

/**
 * The fp16 export as an fp32 graph that computes only `keep`: half weights widened once (exact),
 * casts to half turned into casts to float (ORT then drops them), shape annotations dropped so ORT
 * infers float ones, and every node not needed for `keep` removed.
 */
export function upcastAndPrune(model: Model, keep: readonly string[]): Model {
  const graph = model.graph!;
  graph.initializer = graph.initializer!.map((t) => (t.dataType === FLOAT16 ? floatTensor(t.name!, dimsOf(t), floatValues(t)) : t));
  for (const node of graph.node!) {
    if (node.opType === "Cast") for (const a of node.attribute!) if (a.name === "to" && Number(a.i) === FLOAT16) a.i = FLOAT as never;
    if (node.opType === "Constant")
      for (const a of node.attribute!) if (a.t?.dataType === FLOAT16) a.t = floatTensor(a.t.name ?? "", dimsOf(a.t), floatValues(a.t));
  }
  graph.valueInfo = [];
  graph.output = graph.output!.filter((o) => keep.includes(o.name!));
  graph.node = liveNodes(graph.node!, keep);
  const used = new Set(graph.node.flatMap((n) => n.input!));
  graph.initializer = graph.initializer.filter((t) => used.has(t.name!));
  return model;
}

/** The nodes `outputs` depend on, in their original (topological) order. */
export function liveNodes(nodes: readonly Node[], outputs: readonly string[]): Node[] {
  const producer = new Map<string, Node>();
  for (const n of nodes) for (const o of n.output!) producer.set(o, n);
  const live = new Set<Node>();
  const stack = [...outputs];
  while (stack.length) {
    const node = producer.get(stack.pop()!);
    if (!node || live.has(node)) continue;
    live.add(node);
    stack.push(...node.input!.filter(Boolean));
  }
  return nodes.filter((n) => live.has(n));
}
