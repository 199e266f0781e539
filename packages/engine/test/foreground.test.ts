import { describe, expect, it } from "vitest";
import { estimateForeground, type EdgeRegion, type ForegroundOptions } from "../src/matte/foreground.ts";
import { randomPlane } from "./support/random.ts";

type Rgb = [number, number, number];

const bytes = (plane: Float32Array) => Uint8Array.from(plane, (v) => Math.round(v * 255));
const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
/** Index of the first value that differs, -1 when equal (a failure names a pixel instead of diffing every value). */
const firstDifference = (a: Float32Array, b: Float32Array) => (a.length !== b.length ? 0 : a.findIndex((v, i) => !Object.is(v, b[i])));
/** Like firstDifference, over the semi-transparent pixels only (the ones an estimate is made for). */
const firstSemiDifference = (region: EdgeRegion, a: Float32Array, b: Float32Array) =>
  a.length !== b.length ? 0 : a.findIndex((v, i) => isSemi(region, Math.floor(i / 3)) && !Object.is(v, b[i]));
function isSemi({ alpha, stride, box }: EdgeRegion, i: number): boolean {
  const a = alpha[(box.y + Math.floor(i / box.width)) * stride + box.x + (i % box.width)]!;
  return a !== 0 && a !== 255;
}

/**
 * The whole estimate as one interleaved RGB float array of the box: the runs laid over the photo's
 * own colours, checking that no pixel arrives twice and that every semi-transparent one arrives.
 */
function estimate(region: EdgeRegion, options?: ForegroundOptions): Float32Array {
  const { width, height } = region.box;
  const out = new Float32Array(width * height * 3);
  const seen = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      for (let c = 0; c < 3; c++) out[i * 3 + c] = region.rgb[((region.box.y + y) * region.stride + region.box.x + x) * 3 + c]! / 255;
    }
  }
  estimateForeground(
    region,
    (y, x0, r, g, b) => {
      for (let x = 0; x < r.length; x++) {
        const i = y * width + x0 + x;
        if (seen[i]) throw new Error(`pixel ${x0 + x},${y} arrived twice`);
        seen[i] = 1;
        [out[i * 3], out[i * 3 + 1], out[i * 3 + 2]] = [r[x]!, g[x]!, b[x]!];
      }
    },
    options,
  );
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = region.alpha[(region.box.y + y) * region.stride + region.box.x + x]!;
      if (a !== 0 && a !== 255 && !seen[y * width + x]) throw new Error(`semi-transparent pixel ${x},${y} was not estimated`);
    }
  }
  return out;
}

/** A random photo and alpha on the 8-bit grid, the whole image as the region. */
function randomRegion(width: number, height: number, seed: number): EdgeRegion {
  const n = width * height;
  return {
    rgb: bytes(randomPlane(n * 3, seed)),
    alpha: bytes(randomPlane(n, seed + 1)),
    stride: width,
    box: { x: 0, y: 0, width, height },
  };
}

describe("estimateForeground", () => {
  it("returns the photo's own colour wherever alpha is 1", () => {
    const width = 40,
      height = 30;
    const region = randomRegion(width, height, 1);
    // Half the pixels opaque, the rest random partial alpha.
    region.alpha.forEach((_, i) => i % 2 === 0 && (region.alpha[i] = 255));
    const fg = estimate(region);
    for (let i = 0; i < width * height * 3; i += 6) {
      for (let c = 0; c < 3; c++) expect(fg[i + c]).toBeCloseTo(region.rgb[i + c]! / 255, 5);
    }
  });

  // Small images run both passes at full resolution; large ones run the coarse pass downscaled.
  it.each([
    { width: 80, height: 10 },
    { width: 400, height: 300 },
  ])("recovers the subject colour on a soft edge much better than the photo's mixed colour ($width x $height)", ({ width, height }) => {
    // Composite I = aF + (1-a)B of a uniform orange subject over a uniform blue background, with alpha
    // ramping from 1 (x <= 30) to 0 (x >= 50).
    const n = width * height;
    const F: Rgb = [0.9, 0.2, 0.1],
      B: Rgb = [0.1, 0.3, 0.9];
    const alpha = Float32Array.from({ length: n }, (_, i) => Math.min(1, Math.max(0, (50 - (i % width)) / 20)));
    const rgb = bytes(
      Float32Array.from({ length: n * 3 }, (_, j) => alpha[Math.floor(j / 3)]! * F[j % 3]! + (1 - alpha[Math.floor(j / 3)]!) * B[j % 3]!),
    );
    const fg = estimate({ rgb, alpha: bytes(alpha), stride: width, box: { x: 0, y: 0, width, height } });
    const half = 5 * width + 40;
    expect(alpha[half]).toBeCloseTo(0.5, 6);
    const at = (pixels: ArrayLike<number>, scale: number): Rgb => [
      pixels[half * 3]! / scale,
      pixels[half * 3 + 1]! / scale,
      pixels[half * 3 + 2]! / scale,
    ];
    const photoError = distance(at(rgb, 255), F);
    const estimateError = distance(at(fg, 1), F);
    expect(photoError).toBeGreaterThan(0.5);
    expect(estimateError).toBeLessThan(0.15);
    expect(estimateError).toBeLessThan(photoError / 4);
  });

  it("returns values within 0..1 for every pixel of the box", () => {
    const fg = estimate(randomRegion(12, 9, 7), { coarseRadius: 4, fineRadius: 1 });
    expect(fg.length).toBe(12 * 9 * 3);
    for (const v of fg) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  // The fine pass runs in strips of rows; each strip reads fineRadius rows past its ends. Any strip
  // height must give exactly the whole-box result, on both paths of the coarse pass (strips cover
  // different runs of columns, so only the semi-transparent pixels are sure to be estimated by both).
  it.each([
    { width: 300, height: 290, stripRows: 7 },
    { width: 300, height: 290, stripRows: 1 },
    { width: 90, height: 61, stripRows: 4 },
  ])("gives the whole-box result when streamed in strips of $stripRows rows ($width x $height)", ({ width, height, stripRows }) => {
    const region = randomRegion(width, height, 11);
    expect(firstSemiDifference(region, estimate(region, { stripRows }), estimate(region, { stripRows: height }))).toBe(-1);
  });

  it("reads only its box of a larger photo, and gives the same result as that box cut out", () => {
    const stride = 50,
      rows = 40;
    const photo = randomRegion(stride, rows, 21);
    const box = { x: 7, y: 5, width: 30, height: 26 };
    const cut: EdgeRegion = {
      rgb: new Uint8Array(box.width * box.height * 3),
      alpha: new Uint8Array(box.width * box.height),
      stride: box.width,
      box: { ...box, x: 0, y: 0 },
    };
    for (let y = 0; y < box.height; y++) {
      const from = (box.y + y) * stride + box.x;
      cut.alpha.set(photo.alpha.subarray(from, from + box.width), y * box.width);
      cut.rgb.set(photo.rgb.subarray(from * 3, (from + box.width) * 3), y * box.width * 3);
    }
    expect(firstDifference(estimate({ ...photo, box }, { stripRows: 5 }), estimate(cut))).toBe(-1);
  });
});
