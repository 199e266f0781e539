import { readFile } from "node:fs/promises";
import path from "node:path";
import { decodeModel, encodeModel, upcastAndPrune, type Node } from "./onnx-graph.ts";
import { insertQdq, type Range } from "./qdq.ts";
import { removeFloatCasts } from "./trunk.ts";

/**
 * The recipe of `isnet-int8-qdq` as data, written by `tooling/quantise` (calibration on dev photos
 * through ONNX Runtime; see its README): the convs that run int8 and each activation's clipping
 * range. Deriving the model from the fp16 file and this recipe is deterministic, so an operator
 * without the dev set assembles the same bytes (sha256 pinned).
 */
export const ISNET_INT8_RECIPE_FILE = path.join(import.meta.dirname, "isnet-int8-recipe.json");

export interface Int8Recipe {
  /** How the ranges were measured, for the record. */
  calibration: { photos: string[]; method: string; runtime: string };
  /** The convs that run int8, by node name; every other conv stays float. */
  int8Convs: string[];
  ranges: Record<string, [number, number]>;
}

/** The convs a recipe keeps in float: those it does not list as int8 (where int8 error grew most). */
export function keptFloat(recipe: Pick<Int8Recipe, "int8Convs">): (node: Node) => boolean {
  const int8 = new Set(recipe.int8Convs);
  return (node) => node.opType === "Conv" && !int8.has(node.name ?? "");
}

/** ISNet fp16 → fp32, pruned to `output`, with its casts removed: the graph that is quantised. */
export function isnetFp32(fp16: Uint8Array): Uint8Array {
  return encodeModel(removeFloatCasts(upcastAndPrune(decodeModel(fp16), ["output"])));
}

/** The static int8 QDQ graph of ISNet from its fp16 file and a recipe. */
export function quantiseIsnet(fp16: Uint8Array, recipe: Int8Recipe): Uint8Array {
  const ranges = new Map<string, Range>(Object.entries(recipe.ranges).map(([name, [lo, hi]]) => [name, { lo, hi }]));
  return encodeModel(insertQdq(decodeModel(isnetFp32(fp16)), { ranges, keepFloat: keptFloat(recipe) }));
}

export async function readInt8Recipe(file = ISNET_INT8_RECIPE_FILE): Promise<Int8Recipe> {
  return JSON.parse(await readFile(file, "utf8")) as Int8Recipe;
}
