import { describe, expect, it } from "vitest";
import { solveBand } from "../src/matte/closed-form.ts";
import type { PlanarRgb } from "../src/matte/guided-filter.ts";

const options = { epsilon: 1e-7, priorWeight: 0, maxIterations: 500, tolerance: 1e-4, timeBudgetMs: 10_000 };

/**
 * A photo composited from known parts: a textured red subject over a textured blue background
 * with a soft edge whose true alpha is a ramp across `ramp` columns.
 */
function softEdge(width: number, height: number, ramp: number) {
  const n = width * height;
  const truth = new Float32Array(n);
  const image: PlanarRgb = { r: new Float32Array(n), g: new Float32Array(n), b: new Float32Array(n), width, height };
  const start = Math.floor((width - ramp) / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = Math.min(1, Math.max(0, (x - start) / ramp));
      const shade = 0.1 * Math.sin(x * 0.7 + y * 1.3);
      truth[i] = a;
      image.r[i] = a * (0.8 + shade) + (1 - a) * 0.1;
      image.g[i] = a * 0.2 + (1 - a) * (0.3 + shade);
      image.b[i] = a * 0.1 + (1 - a) * 0.8;
    }
  }
  return { image, truth, start };
}

describe("closed-form matting in a band", () => {
  it("recovers a soft edge's alpha from a hard guess within 0.02", () => {
    const { image, truth, start } = softEdge(64, 32, 12);
    const guess = Float32Array.from(truth, (_, i) => (i % 64 >= start + 6 ? 1 : 0));
    const band = Uint8Array.from(truth, (_, i) => (Math.abs((i % 64) - (start + 6)) <= 10 ? 1 : 0));
    const { alpha, stop } = solveBand(image, guess, band, options);
    let worst = 0,
      guessWorst = 0;
    for (let i = 0; i < truth.length; i++) {
      const x = i % 64,
        y = Math.floor(i / 64);
      if (x === 0 || y === 0 || x === 63 || y === 31) continue;
      worst = Math.max(worst, Math.abs(alpha[i]! - truth[i]!));
      guessWorst = Math.max(guessWorst, Math.abs(guess[i]! - truth[i]!));
    }
    expect(guessWorst).toBeGreaterThan(0.4);
    expect(worst).toBeLessThan(0.02);
    expect(stop).toBe("converged");
  });

  it("leaves pixels outside the band as they were", () => {
    const { image, truth } = softEdge(48, 24, 8);
    const guess = Float32Array.from(truth, (v) => (v > 0.5 ? 1 : 0));
    const band = new Uint8Array(truth.length);
    for (let i = 0; i < band.length; i++) band[i] = i % 48 > 20 && i % 48 < 28 ? 1 : 0;
    const { alpha } = solveBand(image, guess, band, options);
    for (let i = 0; i < band.length; i++) if (!band[i]) expect(alpha[i]).toBe(guess[i]);
  });

  it("keeps the iterate reached when the time budget runs out, and says so", () => {
    const { image, truth } = softEdge(256, 256, 40);
    const guess = Float32Array.from(truth, (v) => (v > 0.5 ? 1 : 0));
    const band = new Uint8Array(truth.length).fill(1);
    const result = solveBand(image, guess, band, { ...options, tolerance: 1e-12, timeBudgetMs: 0 });
    expect(result.stop).toBe("time");
    expect(result.iterations).toBe(0);
    expect(result.alpha).toEqual(guess);
  });
});
