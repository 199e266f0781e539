import { dimsOf, floatValues, onnx, type Model, type Node, type Tensor } from "./onnx-graph.ts";
import { analyseTrunk } from "./trunk.ts";

const DT = onnx.TensorProto.DataType;

/** A calibrated clipping range of one activation tensor. */
export interface Range {
  lo: number;
  hi: number;
}

export interface QdqOptions {
  /** Clipping range of each calibrated activation tensor. */
  ranges: ReadonlyMap<string, Range>;
  /** Nodes to keep in float besides the first conv and the head (mixed precision). */
  keepFloat: (node: Node) => boolean;
}

interface QuantParams {
  scale: number;
  zeroPoint: number;
}

/** uint8 asymmetric parameters of a range that contains 0 (0 is exact, as padding needs). */
function activationParams(range: Range): QuantParams {
  const lo = Math.min(0, range.lo);
  const hi = Math.max(0, range.hi);
  const scale = Math.max(hi - lo, 1e-8) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

function tensor(name: string, dataType: number, dims: number[], bytes: ArrayBufferView): Tensor {
  return onnx.TensorProto.create({ name, dataType, dims, rawData: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
}

function node(opType: string, inputs: string[], outputs: string[], name: string, axis?: number): Node {
  return onnx.NodeProto.create({
    opType,
    input: inputs,
    output: outputs,
    name,
    attribute:
      axis === undefined
        ? []
        : [onnx.AttributeProto.create({ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: axis as never })],
  });
}

/**
 * The nodes that stay float whatever the options say: the first conv (it reads the photo, whose
 * range is tiny and whose errors every later layer amplifies) and the sigmoid head (the conv that
 * makes the logits, its upsampling and the sigmoid), so the probabilities are computed in float.
 */
export function alwaysFloat(model: Model): Set<Node> {
  const trunk = analyseTrunk(model);
  const graph = model.graph!;
  const keep = new Set<Node>();
  for (const n of graph.node!) if (n.opType === "Conv" && n.input![0] === graph.input![0]!.name) keep.add(n);
  let t = graph.output![0]!.name!;
  for (let n = trunk.producer.get(t); n; n = trunk.producer.get(t)) {
    keep.add(n);
    if (n.opType === "Conv") break;
    t = n.input![0]!;
  }
  return keep;
}

/**
 * Rewrites an fp32 graph (casts already removed) into QDQ form: uint8 activations (per tensor,
 * asymmetric, ReLU outputs with zero point 0), int8 weights per output channel (symmetric), int32
 * biases at input scale × weight scale, which ONNX Runtime fuses into QLinearConv, QLinearAdd,
 * QLinearConcat and integer MaxPool/Resize. A tensor between two float nodes stays float.
 */
export function insertQdq(model: Model, options: QdqOptions): Model {
  const graph = model.graph!;
  const trunk = analyseTrunk(model);
  const fixedFloat = alwaysFloat(model);
  const isFloat = new Map<Node, boolean>();
  for (const n of graph.node!) isFloat.set(n, !trunk.activations.has(n.output![0]!) || fixedFloat.has(n) || options.keepFloat(n));
  // A Relu runs in whatever precision its conv does (ORT folds it into the conv's requantisation).
  for (const n of graph.node!)
    if (n.opType === "Relu") {
      const conv = trunk.producer.get(n.input![0]!);
      if (conv?.opType === "Conv") isFloat.set(n, isFloat.get(conv)!);
    }
  // Pass-through and merging ops whose every reader is float run in float too: rounding them buys no speed.
  for (const n of [...graph.node!].reverse()) {
    if (n.opType === "Conv" || n.opType === "Relu" || isFloat.get(n)) continue;
    const readers = n.output!.flatMap((o) => trunk.consumers.get(o) ?? []);
    if (readers.length > 0 && readers.every((r) => isFloat.get(r))) isFloat.set(n, true);
  }
  const graphInput = graph.input![0]!.name!;

  const paramsOf = (t: string): QuantParams => {
    let name = t;
    for (let p = trunk.producer.get(name); p && (p.opType === "MaxPool" || p.opType === "Resize"); p = trunk.producer.get(name))
      name = p.input![0]!;
    const range = options.ranges.get(name);
    if (!range) throw new Error(`No calibrated range for ${name} (needed by ${t}).`);
    return activationParams(range);
  };

  const quantised = new Map<string, QuantParams>();
  for (const t of trunk.activations) {
    if (t === graphInput) continue;
    const producer = trunk.producer.get(t)!;
    const consumers = trunk.consumers.get(t) ?? [];
    if (producer.opType === "Conv" && consumers.length === 1 && consumers[0]!.opType === "Relu") continue;
    if (isFloat.get(producer) && consumers.every((c) => isFloat.get(c))) continue;
    if (consumers.length === 0) continue;
    quantised.set(t, paramsOf(t));
  }

  const initializers = new Map(graph.initializer!.map((i) => [i.name!, i]));
  const added: Tensor[] = [];
  const nodes: Node[] = [];
  const scalar = (name: string, p: QuantParams) => {
    added.push(tensor(`${name}_scale`, DT.FLOAT, [], new Float32Array([p.scale])));
    added.push(tensor(`${name}_zero_point`, DT.UINT8, [], new Uint8Array([p.zeroPoint])));
  };

  for (const n of graph.node!) {
    if (n.opType === "Conv" && !isFloat.get(n)) {
      const x = n.input![0]!;
      const xParams = quantised.get(x);
      if (!xParams) throw new Error(`Conv ${n.name} is quantised but its input ${x} is not.`);
      const [wq, ws] = quantiseWeights(initializers.get(n.input![1]!)!, n, added, nodes);
      n.input![1] = wq;
      if (n.input![2]) n.input![2] = quantiseBias(initializers.get(n.input![2]!)!, xParams.scale, ws, added, nodes);
    }
    // Consumers read the dequantised copy, except float nodes reading a float node's output.
    n.input = n.input!.map((i) => {
      const p = trunk.producer.get(i);
      if (!quantised.has(i) || (p && isFloat.get(p) && isFloat.get(n))) return i;
      return `${i}_dq`;
    });
    nodes.push(n);
    for (const o of n.output!) {
      const p = quantised.get(o);
      if (!p) continue;
      scalar(o, p);
      nodes.push(node("QuantizeLinear", [o, `${o}_scale`, `${o}_zero_point`], [`${o}_q`], `${o}_Q`));
      nodes.push(node("DequantizeLinear", [`${o}_q`, `${o}_scale`, `${o}_zero_point`], [`${o}_dq`], `${o}_DQ`));
    }
  }
  graph.node = nodes;
  graph.initializer = [...graph.initializer!, ...added];
  const used = new Set(nodes.flatMap((n) => n.input!));
  graph.initializer = graph.initializer.filter((i) => used.has(i.name!));
  model.producerName = "bgr-quantise";
  return model;
}

/** int8 weights, symmetric per output channel, behind a DequantizeLinear (axis 0). */
function quantiseWeights(weight: Tensor, conv: Node, added: Tensor[], nodes: Node[]): [string, Float32Array] {
  const dims = dimsOf(weight);
  const values = floatValues(weight);
  const channels = dims[0]!;
  const per = values.length / channels;
  const scales = new Float32Array(channels);
  const q = new Int8Array(values.length);
  for (let c = 0; c < channels; c++) {
    let m = 0;
    for (let i = 0; i < per; i++) m = Math.max(m, Math.abs(values[c * per + i]!));
    const s = m > 0 ? m / 127 : 1;
    scales[c] = s;
    for (let i = 0; i < per; i++) q[c * per + i] = Math.max(-127, Math.min(127, Math.round(values[c * per + i]! / s)));
  }
  const name = `${conv.name}_weight`;
  added.push(
    tensor(`${name}_q`, DT.INT8, dims, q),
    tensor(`${name}_scale`, DT.FLOAT, [channels], scales),
    tensor(`${name}_zero_point`, DT.INT8, [channels], new Int8Array(channels)),
  );
  nodes.push(node("DequantizeLinear", [`${name}_q`, `${name}_scale`, `${name}_zero_point`], [`${name}_dq`], `${name}_DQ`, 0));
  return [`${name}_dq`, scales];
}

/** int32 bias at scale input × weight (what QLinearConv adds to its accumulator), axis 0. */
function quantiseBias(bias: Tensor, inputScale: number, weightScales: Float32Array, added: Tensor[], nodes: Node[]): string {
  const values = floatValues(bias);
  const scales = Float32Array.from(weightScales, (w) => w * inputScale);
  const q = Int32Array.from(values, (v, c) => Math.round(v / scales[c]!));
  const name = `${bias.name}_bias`;
  added.push(
    tensor(`${name}_q`, DT.INT32, [values.length], q),
    tensor(`${name}_scale`, DT.FLOAT, [values.length], scales),
    tensor(`${name}_zero_point`, DT.INT32, [values.length], new Int32Array(values.length)),
  );
  nodes.push(node("DequantizeLinear", [`${name}_q`, `${name}_scale`, `${name}_zero_point`], [`${name}_dq`], `${name}_DQ`, 0));
  return `${name}_dq`;
}
