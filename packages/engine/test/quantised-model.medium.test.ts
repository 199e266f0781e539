import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { BUILTIN_MODELS } from "../src/models/builtin.ts";
import { ModelStore } from "../src/models/store.ts";
import { InferenceRunner } from "../src/inference.ts";
import { evalData } from "@bgr/testing";

const CACHE_DIR = path.resolve(import.meta.dirname, "../../../data/models");
// The eval's acceptance bound for a quantised model: mean absolute difference from fp16 per photo.
const TOLERANCE = 0.01;
// The dev set's two worst photos (coco-163682-person 0.0097, coco-448448-giraffe 0.0083, neither
// calibrated on) and amt-gt23, the worst of the previous recipe.
const PHOTOS = ["coco-163682-person.jpg", "coco-448448-giraffe.jpg", "amt-gt23.png"];

async function modelInput(file: string): Promise<Uint8Array> {
  return sharp(evalData("dev", file)).rotate().removeAlpha().resize(1024, 1024, { fit: "fill" }).raw().toBuffer();
}

function meanAbsDiff(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe("isnet-int8-qdq (the basic tier's model)", () => {
  const runner = new InferenceRunner(BUILTIN_MODELS, new ModelStore(CACHE_DIR), { intraOpThreads: 2 });

  it.each(PHOTOS)("predicts %s within 0.01 MAE of isnet-fp16", { timeout: 300_000 }, async (photo) => {
    const rgb = await modelInput(photo);
    const fp16 = await runner.predict("isnet-fp16", rgb);
    const int8 = await runner.predict("isnet-int8-qdq", rgb);
    const mae = meanAbsDiff(int8, fp16);
    expect(mae).toBeLessThan(TOLERANCE);
    // Not a copy of the fp16 pass: quantisation moves every photo a little.
    expect(mae).toBeGreaterThan(1e-4);
  });
});
