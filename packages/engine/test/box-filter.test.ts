import { describe, expect, it } from "vitest";
import { boxMean } from "../src/matte/box-filter.ts";
import { randomPlane } from "./support/random.ts";

/** The definition, pixel by pixel: mean of the (2r+1)^2 window, counting only pixels inside the image. */
function naiveBoxMean(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0,
        count = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const sx = x + dx,
            sy = y + dy;
          if (sx < 0 || sy < 0 || sx >= width || sy >= height) continue;
          sum += src[sy * width + sx]!;
          count++;
        }
      }
      out[y * width + x] = sum / count;
    }
  }
  return out;
}

/**
 * Running sums the plain way (a clamped count and two bounds checks at every pixel, a separate
 * pass per step of the vertical window): the summation order boxMean keeps, so results must be equal.
 */
function plainRunningBoxMean(src: Float32Array, width: number, height: number, radius: number): Float32Array {
  const rowPass = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    let sum = 0;
    for (let x = 0; x <= Math.min(radius, width - 1); x++) sum += src[y * width + x]!;
    for (let x = 0; x < width; x++) {
      rowPass[y * width + x] = sum / (Math.min(x + radius, width - 1) - Math.max(x - radius, 0) + 1);
      if (x + radius + 1 < width) sum += src[y * width + x + radius + 1]!;
      if (x - radius >= 0) sum -= src[y * width + x - radius]!;
    }
  }
  const out = new Float32Array(src.length);
  const acc = new Float64Array(width);
  for (let y = 0; y <= Math.min(radius, height - 1); y++) for (let x = 0; x < width; x++) acc[x]! += rowPass[y * width + x]!;
  for (let y = 0; y < height; y++) {
    const count = Math.min(y + radius, height - 1) - Math.max(y - radius, 0) + 1;
    for (let x = 0; x < width; x++) out[y * width + x] = acc[x]! / count;
    if (y + radius + 1 < height) for (let x = 0; x < width; x++) acc[x]! += rowPass[(y + radius + 1) * width + x]!;
    if (y - radius >= 0) for (let x = 0; x < width; x++) acc[x]! -= rowPass[(y - radius) * width + x]!;
  }
  return out;
}

describe("boxMean", () => {
  it("averages each 3x3 window of a 3x3 image, counting only pixels inside the border", () => {
    const src = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Corners see 4 pixels, edges 6, the centre all 9: e.g. top-left (1+2+4+5)/4 = 3.
    expect([...boxMean(src, 3, 3, 1)]).toEqual([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
  });

  it.each([
    { width: 17, height: 11, radius: 1 },
    { width: 17, height: 11, radius: 4 },
    { width: 9, height: 23, radius: 6 },
    // Radius larger than the image: every window is clamped on both sides.
    { width: 5, height: 4, radius: 10 },
    { width: 1, height: 12, radius: 2 },
    { width: 12, height: 1, radius: 3 },
  ])("matches the naive O(r²) mean on random data ($width x $height, r=$radius)", ({ width, height, radius }) => {
    const src = randomPlane(width * height, width * 131 + height * 7 + radius);
    const fast = boxMean(src, width, height, radius);
    const slow = naiveBoxMean(src, width, height, radius);
    for (let i = 0; i < src.length; i++) expect(fast[i]).toBeCloseTo(slow[i]!, 5);
  });

  it("keeps a constant image constant", () => {
    const src = new Float32Array(8 * 6).fill(0.37);
    for (const v of boxMean(src, 8, 6, 2)) expect(v).toBeCloseTo(0.37, 6);
  });

  it("copies the input for radius 0 and writes into the given output array", () => {
    const src = randomPlane(12, 1);
    const out = new Float32Array(12);
    const result = boxMean(src, 4, 3, 0, out);
    expect(result).toBe(out);
    expect([...out]).toEqual([...src]);
    expect(boxMean(src, 4, 3, 1, out)).toBe(out);
  });

  it.each([
    { width: 64, height: 48, radius: 3 },
    { width: 7, height: 9, radius: 3 },
    { width: 8, height: 8, radius: 3 },
    { width: 300, height: 5, radius: 11 },
    { width: 3, height: 40, radius: 1 },
  ])("equals plain running sums bit for bit ($width x $height, r=$radius)", ({ width, height, radius }) => {
    const src = randomPlane(width * height, width + height + radius);
    // Values over many magnitudes, as alpha-weighted colour planes have.
    for (let i = 0; i < src.length; i += 5) src[i] = src[i]! * 1e-9;
    expect(boxMean(src, width, height, radius)).toEqual(plainRunningBoxMean(src, width, height, radius));
  });

  it("filters the leading width*height values of larger buffers, with a caller's scratch", () => {
    const src = randomPlane(10 * 7, 3);
    const big = new Float32Array(200);
    big.set(src);
    const out = new Float32Array(200).fill(9);
    boxMean(big, 10, 7, 2, out, new Float32Array(200));
    expect(out.subarray(0, 70)).toEqual(boxMean(src, 10, 7, 2));
    expect(out[70]).toBe(9);
  });
});
