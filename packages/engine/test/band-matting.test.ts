import { describe, expect, it } from "vitest";
import { refineBand, type BandMattingOptions } from "../src/matte/band-matting.ts";
import { cleanSubject } from "../src/matte/subject-cleanup.ts";

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
});
