import type { Model, Node } from "./onnx-graph.ts";

/** Ops that carry image activations; Concat only when its inputs do (ISNet also concatenates shapes). */
const ACTIVATION_OPS = new Set(["Conv", "Relu", "MaxPool", "Resize", "Add", "Concat", "Sigmoid", "Identity"]);

export interface Trunk {
  nodes: Node[];
  producer: Map<string, Node>;
  consumers: Map<string, Node[]>;
  /** Float activation tensors (not weights, not shapes), by name. */
  activations: Set<string>;
}

/** Producer/consumer maps and the set of float activation tensors of a graph. */
export function analyseTrunk(model: Model): Trunk {
  const graph = model.graph!;
  const nodes = graph.node!;
  const producer = new Map<string, Node>();
  const consumers = new Map<string, Node[]>();
  for (const n of nodes) {
    for (const o of n.output!) producer.set(o, n);
    for (const i of n.input!) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  }
  const activations = new Set<string>(graph.input!.map((i) => i.name!));
  for (const n of nodes) {
    const carries = ACTIVATION_OPS.has(n.opType!) && (n.opType !== "Concat" || n.input!.every((i) => activations.has(i)));
    if (carries && (n.opType === "Conv" || activations.has(n.input![0]!))) for (const o of n.output!) activations.add(o);
  }
  return { nodes, producer, consumers, activations };
}

/**
 * Removes casts whose input is already float (all of them after the up-cast), wiring consumers to
 * the cast's input, so quantisation sees one tensor where the fp16 export had a float copy of it.
 */
export function removeFloatCasts(model: Model): Model {
  const graph = model.graph!;
  const outputs = new Set(graph.output!.map((o) => o.name!));
  const alias = new Map<string, string>();
  const resolve = (name: string) => alias.get(name) ?? name;
  graph.node = graph.node!.filter((n) => {
    if (n.opType !== "Cast" || outputs.has(n.output![0]!)) return true;
    alias.set(n.output![0]!, resolve(n.input![0]!));
    return false;
  });
  for (const n of graph.node) n.input = n.input!.map(resolve);
  return model;
}
