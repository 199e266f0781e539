import { describe, expect, it } from "vitest";
import { estimateForeground } from "../src/matte/foreground.ts";
import type { PlanarRgb } from "../src/matte/guided-filter.ts";
import { randomPlane } from "./support/random.ts";

type Rgb = [number, number, number];
const CHANNELS = ["r", "g", "b"] as const;

const pixel = (image: PlanarRgb, i: number): Rgb => [image.r[i]!, image.g[i]!, image.b[i]!];
const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe("estimateForeground", () => {
  it("returns the photo's own colour wherever alpha is 1", () => {
    const width = 40, height = 30, n = width * height;
    const image: PlanarRgb = { r: randomPlane(n, 1), g: randomPlane(n, 2), b: randomPlane(n, 3), width, height };
    // Half the pixels opaque, the rest random partial alpha.
    const alpha = randomPlane(n, 4).map((v, i) => (i % 2 === 0 ? 1 : v));
    const fg = estimateForeground(image, alpha);
    for (let i = 0; i < n; i += 2) {
      for (const c of CHANNELS) expect(fg[c][i]).toBeCloseTo(image[c][i]!, 5);
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
    const F: Rgb = [0.9, 0.2, 0.1], B: Rgb = [0.1, 0.3, 0.9];
    const alpha = Float32Array.from({ length: n }, (_, i) => Math.min(1, Math.max(0, (50 - (i % width)) / 20)));
    const image = { width, height } as PlanarRgb;
    CHANNELS.forEach((c, k) => (image[c] = Float32Array.from(alpha, (a) => a * F[k]! + (1 - a) * B[k]!)));

    const fg = estimateForeground(image, alpha);
    const half = 5 * width + 40;
    expect(alpha[half]).toBeCloseTo(0.5, 6);
    const photoError = distance(pixel(image, half), F);
    const estimateError = distance(pixel(fg, half), F);
    expect(photoError).toBeGreaterThan(0.5);
    expect(estimateError).toBeLessThan(0.15);
    expect(estimateError).toBeLessThan(photoError / 4);
  });

  it("returns planar RGB of the image's size within 0..1", () => {
    const width = 12, height = 9, n = width * height;
    const image: PlanarRgb = { r: randomPlane(n, 7), g: randomPlane(n, 8), b: randomPlane(n, 9), width, height };
    const fg = estimateForeground(image, randomPlane(n, 10), 4, 1);
    expect([fg.width, fg.height]).toEqual([width, height]);
    for (const c of CHANNELS) {
      expect(fg[c].length).toBe(n);
      for (const v of fg[c]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
  });
});
