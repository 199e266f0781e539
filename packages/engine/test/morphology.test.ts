import { describe, expect, it } from "vitest";
import { dilate, erode } from "../src/matte/morphology.ts";

describe("morphology", () => {
  it("dilates by Chebyshev distance", () => {
    const mask = new Uint8Array(25);
    mask[12] = 1;
    expect([...dilate(mask, 5, 5, 1)].filter(Boolean)).toHaveLength(9);
  });

  it("erodes away what is thinner than the window and keeps the core of what is wider", () => {
    const width = 9,
      height = 5;
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      mask[y * width + 1] = 1; // a one-pixel line
      for (let x = 4; x < 9; x++) mask[y * width + x] = 1; // a five-pixel block touching the border
    }
    const eroded = erode(mask, width, height, 1);
    expect([...eroded].filter((v, i) => v && i % width === 1)).toHaveLength(0);
    expect(eroded[2 * width + 6]).toBe(1);
    expect(eroded[2 * width + 4]).toBe(0);
  });
});
