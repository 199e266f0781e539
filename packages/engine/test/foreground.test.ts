import { describe, expect, it } from "vitest";
import { boxMean } from "../src/matte/box-filter.ts";
import { estimateForeground, type EdgeRegion, type ForegroundOptions } from "../src/matte/foreground.ts";
import { resizeBilinear } from "../src/matte/resample.ts";
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

/** Blur fusion of whole planes, the textbook way: returns the foreground and the mean background. */
function fusePlanes(I: Float32Array, F: Float32Array, B: Float32Array, A: Float32Array, w: number, h: number, radius: number) {
  const blurredA = boxMean(A, w, h, radius);
  const blurredF = boxMean(
    Float32Array.from(F, (v, i) => v * A[i]!),
    w,
    h,
    radius,
  );
  const blurredB = boxMean(
    Float32Array.from(B, (v, i) => v * (1 - A[i]!)),
    w,
    h,
    radius,
  );
  const foreground = new Float32Array(I.length),
    background = new Float32Array(I.length);
  for (let i = 0; i < I.length; i++) {
    const a = A[i]!;
    const meanF = blurredF[i]! / (blurredA[i]! + 1e-5);
    const meanB = blurredB[i]! / (1 - blurredA[i]! + 1e-5);
    const v = meanF + a * (I[i]! - a * meanF - (1 - a) * meanB);
    foreground[i] = Math.min(1, Math.max(0, v));
    background[i] = meanB;
  }
  return { foreground, background };
}

/**
 * The estimate without strips, runs or reused buffers: full-resolution float planes, the coarse
 * pass on quarter-resolution planes (boxes of 256 pixels a side and more), interleaved RGB out.
 */
function referenceForeground({ rgb, alpha, stride, box }: EdgeRegion, coarseRadius = 45, fineRadius = 3): Float32Array {
  const { width: w, height: h } = box;
  const at = (x: number, y: number) => (box.y + y) * stride + box.x + x;
  const A = Float32Array.from({ length: w * h }, (_, i) => alpha[at(i % w, Math.floor(i / w))]! / 255);
  const I = [0, 1, 2].map((c) => Float32Array.from({ length: w * h }, (_, i) => rgb[at(i % w, Math.floor(i / w)) * 3 + c]! / 255));
  const scale = Math.min(w, h) >= 256 ? 4 : 1;
  const lw = Math.round(w / scale),
    lh = Math.round(h / scale);
  const smallA = resizeBilinear(A, w, h, lw, lh);
  const out = new Float32Array(w * h * 3);
  for (let c = 0; c < 3; c++) {
    const small = resizeBilinear(I[c]!, w, h, lw, lh);
    const coarse = fusePlanes(small, small, small, smallA, lw, lh, Math.max(1, Math.round(coarseRadius / scale)));
    const F = resizeBilinear(coarse.foreground, lw, lh, w, h),
      B = resizeBilinear(coarse.background, lw, lh, w, h);
    const fine = fusePlanes(I[c]!, F, B, A, w, h, fineRadius).foreground;
    for (let i = 0; i < w * h; i++) out[i * 3 + c] = fine[i]!;
  }
  return out;
}

/**
 * A photo with a soft-edged disc (a ring of semi-transparent pixels), a few stray semi-transparent
 * specks far from it, and hard 0/255 alpha elsewhere: the fine pass works on several runs per strip
 * and skips the rest.
 */
function discRegion(stride: number, rows: number, box: EdgeRegion["box"]): EdgeRegion {
  const rgb = bytes(randomPlane(stride * rows * 3, 5));
  const alpha = new Uint8Array(stride * rows);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < stride; x++) {
      const d = Math.hypot(x - stride / 2, y - rows / 2);
      alpha[y * stride + x] = Math.round(255 * Math.min(1, Math.max(0, (90 - d) / 12)));
    }
  }
  for (const [x, y] of [
    [12, 15],
    [stride - 20, 30],
    [25, rows - 18],
  ] as const)
    alpha[y * stride + x] = 77;
  return { rgb, alpha, stride, box };
}

describe("estimateForeground", () => {
  // The reference is the same arithmetic on whole planes, so at every estimated pixel the two agree
  // to float rounding (window sums may start at another column).
  it.each([{ stripRows: undefined }, { stripRows: 7 }, { stripRows: 1 }])(
    "matches the whole-plane reference at every semi-transparent pixel (strips of $stripRows rows)",
    ({ stripRows }) => {
      const region = discRegion(340, 300, { x: 9, y: 6, width: 320, height: 280 });
      const fast = estimate(region, { stripRows });
      const slow = referenceForeground(region);
      let worst = 0,
        checked = 0;
      for (let i = 0; i < fast.length; i++) {
        if (!isSemi(region, Math.floor(i / 3))) continue;
        checked++;
        worst = Math.max(worst, Math.abs(fast[i]! - slow[i]!));
      }
      expect(checked).toBeGreaterThan(3 * 2000);
      expect(worst).toBeLessThanOrEqual(1e-6);
    },
  );

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
