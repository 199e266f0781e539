import { describe, expect, it } from "vitest";
import { refineBand, type BandMattingOptions } from "../src/matte/band-matting.ts";
import { cleanSubject, type CleanupOptions } from "../src/matte/subject-cleanup.ts";
import { randomPlane } from "./support/random.ts";

const options: BandMattingOptions = {
  uncertainLow: 0.02,
  uncertainHigh: 0.98,
  growPx: 4,
  minWidthPx: 0,
  epsilon: 1e-6,
  priorWeight: 0.02,
  maxIterations: 50,
  tolerance: 1e-4,
  timeBudgetMs: 2000,
  maxSolvePixels: 2_000_000,
  maxBandPixels: 50_000,
};

function noisyPhoto(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 2654435761) >>> 24;
  return rgb;
}

describe("band matting", () => {
  it("solves a band wider than its cap at a lower resolution instead of refusing it", async () => {
    const width = 600,
      height = 400;
    const alpha = new Float32Array(width * height).fill(0.5);
    const { alpha: out, stats } = await refineBand(noisyPhoto(width, height), width, height, alpha, options);
    expect(out).toHaveLength(width * height);
    // Refined in place: no second full-resolution matte.
    expect(out).toBe(alpha);
    expect(stats.bandPixels).toBeLessThanOrEqual(options.maxBandPixels * 1.02);
    expect(stats.solveScale).toBeLessThan(0.5);
    for (const v of out) expect(v >= 0 && v <= 1).toBe(true);
  });

  it("leaves a matte with no uncertain pixel untouched", async () => {
    const width = 40,
      height = 30;
    const alpha = Float32Array.from({ length: width * height }, (_, i) => (i % width < 20 ? 1 : 0));
    const { alpha: out, stats } = await refineBand(noisyPhoto(width, height), width, height, alpha, options);
    expect(stats.bandPixels).toBe(0);
    expect(out).toEqual(alpha);
  });

  it("drops a rim narrower than minWidthPx from a coarse pass's band", async () => {
    const width = 60,
      height = 40;
    const alpha = Float32Array.from({ length: width * height }, (_, i) => (i % width < 30 ? 1 : i % width < 32 ? 0.5 : 0));
    const wide = await refineBand(noisyPhoto(width, height), width, height, alpha, options);
    const coarse = await refineBand(noisyPhoto(width, height), width, height, alpha, { ...options, minWidthPx: 5 });
    expect(wide.stats.bandPixels).toBeGreaterThan(0);
    expect(coarse.stats.bandPixels).toBe(0);
  });
});

/** Subject cleanup the plain way: a label per pixel from breadth-first fills, then the drop rule. */
function plainCleanup(alpha: Float32Array, width: number, height: number, options: CleanupOptions): Float32Array {
  const label = new Int32Array(alpha.length).fill(-1);
  const areas: number[] = [],
    peaks: number[] = [];
  for (let start = 0; start < alpha.length; start++) {
    if (label[start] !== -1 || alpha[start]! < options.threshold) continue;
    const id = areas.length;
    const queue = [start];
    label[start] = id;
    let peak = 0;
    for (let q = 0; q < queue.length; q++) {
      const i = queue[q]!;
      peak = Math.max(peak, alpha[i]!);
      const x = i % width,
        y = Math.floor(i / width);
      for (const [nx, ny] of [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ] as const) {
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        if (label[j] !== -1 || alpha[j]! < options.threshold) continue;
        label[j] = id;
        queue.push(j);
      }
    }
    areas.push(queue.length);
    peaks.push(peak);
  }
  const largest = Math.max(...areas);
  return alpha.map((v, i) =>
    label[i]! >= 0 && areas[label[i]!]! < options.minShare * largest && peaks[label[i]!]! < options.keepAlpha ? 0 : v,
  );
}

describe("subject cleanup", () => {
  const width = 100,
    height = 60;
  const rect = (alpha: Float32Array, x0: number, y0: number, w: number, h: number, value: number) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) alpha[y * width + x] = value;
  };

  it("clears a faint speck apart from the subject and keeps a second, confident subject", () => {
    const alpha = new Float32Array(width * height);
    rect(alpha, 5, 5, 40, 40, 1);
    rect(alpha, 60, 10, 3, 3, 0.6);
    rect(alpha, 70, 30, 8, 8, 1);
    const out = cleanSubject(alpha, width, height, { threshold: 0.02, minShare: 0.05, keepAlpha: 0.9 });
    expect(out[11 * width + 61]).toBe(0);
    expect(out[34 * width + 74]).toBe(1);
    expect(out[20 * width + 20]).toBe(1);
  });

  it("keeps a large faint region: it may be a real subject", () => {
    const alpha = new Float32Array(width * height);
    rect(alpha, 5, 5, 40, 40, 1);
    rect(alpha, 60, 10, 30, 30, 0.5);
    const out = cleanSubject(alpha, width, height, { threshold: 0.02, minShare: 0.05, keepAlpha: 0.9 });
    expect(out[20 * width + 70]).toBe(0.5);
  });

  it("clears exactly what a plain per-pixel labelling clears, on a field of random blobs", () => {
    // Sparse bright seeds, spread by a max filter into blobs of varied size and peak, some touching.
    const w = 160,
      h = 120;
    const noise = randomPlane(w * h, 17);
    const alpha = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let v = 0;
        for (let dy = -3; dy <= 3; dy++)
          for (let dx = -3; dx <= 3; dx++) {
            const sx = x + dx,
              sy = y + dy;
            if (sx >= 0 && sy >= 0 && sx < w && sy < h && noise[sy * w + sx]! > 0.995) v = Math.max(v, noise[(sy * w + sx + 7) % (w * h)]!);
          }
        alpha[y * w + x] = v;
      }
    }
    // The subject: a 60 x 50 block, so blobs under 150 pixels that never reach 0.9 are cleared.
    for (let y = 40; y < 90; y++) alpha.fill(1, y * w + 50, y * w + 110);
    const expected = plainCleanup(alpha, w, h, { threshold: 0.02, minShare: 0.05, keepAlpha: 0.9 });
    const cleared = expected.filter((v, i) => v !== alpha[i]).length;
    expect(cleared).toBeGreaterThan(100);
    expect(cleanSubject(alpha, w, h, { threshold: 0.02, minShare: 0.05, keepAlpha: 0.9 })).toEqual(expected);
  });
});
