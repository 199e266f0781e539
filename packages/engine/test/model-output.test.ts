import { describe, expect, it } from "vitest";
import { MODEL_PACKS } from "../src/index.ts";
import { halfToFloat, toProbabilities } from "../src/models/output.ts";

const birefnet = MODEL_PACKS.find((m) => m.id === "birefnet-general")!;
const ben2 = MODEL_PACKS.find((m) => m.id === "ben2-base")!;

describe("toProbabilities", () => {
  it("applies a sigmoid to BiRefNet's logits, then stretches them to 0..1", () => {
    const out = toProbabilities({ type: "float32", data: Float32Array.from([-2, 0, 2, 4]) }, birefnet, 4);
    expect(out[0]).toBe(0);
    expect(out[3]).toBe(1);
    const s = (x: number) => 1 / (1 + Math.exp(-x));
    expect(out[1]).toBeCloseTo((s(0) - s(-2)) / (s(4) - s(-2)), 6);
  });

  it("decodes BEN2's float16 output and only stretches it", () => {
    // 0.25, 0.5, 0.75 in binary16.
    const out = toProbabilities({ type: "float16", data: Uint16Array.from([0x3400, 0x3800, 0x3a00]) }, ben2, 3);
    expect(Array.from(out)).toEqual([0, 0.5, 1]);
  });

  it("reads the first channel of a multi-channel output and leaves a flat map alone", () => {
    const out = toProbabilities({ type: "float32", data: Float32Array.from([0.3, 0.3, 9, 9]) }, ben2, 2);
    expect(Array.from(out)).toEqual([Math.fround(0.3), Math.fround(0.3)]);
  });

  it("refuses outputs of the wrong size or type, naming the model", () => {
    expect(() => toProbabilities({ type: "float32", data: new Float32Array(3) }, ben2, 2)).toThrow(/ben2-base returned 3 values/);
    expect(() => toProbabilities({ type: "int64", data: new BigInt64Array(2) }, ben2, 2)).toThrow(/ben2-base returns int64/);
  });
});

describe("halfToFloat", () => {
  it.each([
    [0x0000, 0],
    [0x3c00, 1],
    [0xc000, -2],
    [0x7bff, 65504],
    [0x0001, 2 ** -24],
    [0x7c00, Number.POSITIVE_INFINITY],
  ])("decodes %s", (bits, value) => {
    expect(halfToFloat(bits)).toBe(value);
  });
});
