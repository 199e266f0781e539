import { describe, expect, it } from "vitest";
import { applyCoefficients, guidedCoefficients, guidedUpsample, type PlanarRgb } from "../src/matte/guided-filter.ts";
import { toPlanar } from "../src/matte/planar.ts";
import { resizeBilinear } from "../src/matte/resample.ts";
import { randomPlane } from "./support/random.ts";

function planar(width: number, height: number, value: (x: number, y: number) => [number, number, number]): PlanarRgb {
  const n = width * height;
  const r = new Float32Array(n),
    g = new Float32Array(n),
    b = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [vr, vg, vb] = value(x, y);
      r[y * width + x] = vr;
      g[y * width + x] = vg;
      b[y * width + x] = vb;
    }
  }
  return { r, g, b, width, height };
}

function randomGuide(width: number, height: number, seed: number): PlanarRgb {
  const n = width * height;
  return { r: randomPlane(n, seed), g: randomPlane(n, seed + 1), b: randomPlane(n, seed + 2), width, height };
}

/** A matte that is an exact linear function of the guide colour, kept inside 0..1. */
const linear = (r: number, g: number, b: number) => 0.2 * r + 0.3 * g - 0.1 * b + 0.25;

describe("guided filter", () => {
  it("keeps a constant matte constant whatever the guide", () => {
    const guide = randomGuide(24, 16, 3);
    const p = new Float32Array(24 * 16).fill(0.3);
    const q = applyCoefficients(guidedCoefficients(guide, p, 2, 1e-3), guide);
    for (const v of q) expect(v).toBeCloseTo(0.3, 4);
  });

  describe("on a step edge", () => {
    const width = 20,
      height = 10,
      edge = 10;
    const p = Float32Array.from({ length: width * height }, (_, i) => (i % width >= edge ? 1 : 0));
    const row = (q: Float32Array, y = 5) => [...q.subarray(y * width, (y + 1) * width)];

    it("keeps the edge sharp when the guide has the same edge", () => {
      const guide = planar(width, height, (x) => (x >= edge ? [0.9, 0.8, 0.7] : [0.1, 0.2, 0.3]));
      const q = row(applyCoefficients(guidedCoefficients(guide, p, 3, 1e-4), guide));
      expect(q[edge - 1]).toBeLessThan(0.02);
      expect(q[edge]).toBeGreaterThan(0.98);
    });

    it("smooths the edge when the guide is flat", () => {
      const guide = planar(width, height, () => [0.5, 0.5, 0.5]);
      const q = row(applyCoefficients(guidedCoefficients(guide, p, 3, 1e-4), guide));
      // A flat guide explains nothing: the output is a blur of p, ramping over about 2r pixels.
      expect(q[edge - 1]).toBeGreaterThan(0.25);
      expect(q[edge]).toBeLessThan(0.75);
      expect(q[0]).toBeCloseTo(0, 5);
      expect(q[width - 1]).toBeCloseTo(1, 5);
    });
  });

  it("reproduces p when p is a linear function of the guide (tiny eps)", () => {
    const guide = randomGuide(32, 24, 11);
    const p = Float32Array.from({ length: 32 * 24 }, (_, i) => linear(guide.r[i]!, guide.g[i]!, guide.b[i]!));
    const c = guidedCoefficients(guide, p, 2, 1e-6);
    const q = applyCoefficients(c, guide);
    for (let i = 0; i < p.length; i++) expect(Math.abs(q[i]! - p[i]!)).toBeLessThan(2e-3);
    // The coefficients are the linear map itself.
    expect(c.ar[100]).toBeCloseTo(0.2, 2);
    expect(c.ag[100]).toBeCloseTo(0.3, 2);
    expect(c.ab[100]).toBeCloseTo(-0.1, 2);
    expect(c.b[100]).toBeCloseTo(0.25, 2);
  });

  it("guidedUpsample carries a low-resolution linear relation to a full-resolution guide", () => {
    const low = randomGuide(16, 12, 21);
    const p = Float32Array.from({ length: 16 * 12 }, (_, i) => linear(low.r[i]!, low.g[i]!, low.b[i]!));
    const full = Uint8Array.from({ length: 48 * 36 * 3 }, (_, i) => (i * 7919 + 13) % 256);
    const q = guidedUpsample(guidedCoefficients(low, p, 2, 1e-6), full, 48, 36);
    expect(q.length).toBe(48 * 36);
    for (let i = 0; i < q.length; i++)
      expect(Math.abs(q[i]! - linear(full[i * 3]! / 255, full[i * 3 + 1]! / 255, full[i * 3 + 2]! / 255))).toBeLessThan(3e-3);
  });

  it("guidedUpsample streams exactly what upsampled coefficient planes applied to a float guide give", () => {
    const low = randomGuide(16, 12, 5);
    const c = guidedCoefficients(low, randomPlane(16 * 12, 9), 2, 1e-3);
    for (const [w, h] of [
      [16, 12],
      [41, 29],
    ] as const) {
      const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 104729 + 7) % 256);
      const up = (x: Float32Array) => resizeBilinear(x, c.width, c.height, w, h);
      const expected = applyCoefficients(
        { ar: up(c.ar), ag: up(c.ag), ab: up(c.ab), b: up(c.b), width: w, height: h },
        toPlanar(rgb, w, h, 3),
      );
      expect(guidedUpsample(c, rgb, w, h)).toEqual(expected);
    }
  });

  it("clamps the output to 0..1", () => {
    const guide = randomGuide(8, 8, 5);
    const c = {
      ar: new Float32Array(64).fill(4),
      ag: new Float32Array(64),
      ab: new Float32Array(64),
      b: new Float32Array(64).fill(-1),
      width: 8,
      height: 8,
    };
    const q = applyCoefficients(c, guide);
    expect(Math.min(...q)).toBe(0);
    expect(Math.max(...q)).toBe(1);
  });
});
