import { describe, expect, it } from "vitest";
import { BilinearRows, resizeBilinear, resizeRgbBilinear, roundHalfUp } from "../src/matte/resample.ts";
import { randomPlane } from "./support/random.ts";

const close = (actual: Float32Array, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
};

describe("resizeBilinear", () => {
  it("returns an equal copy at the same size", () => {
    const src = Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const out = resizeBilinear(src, 3, 2, 3, 2);
    expect(out).not.toBe(src);
    expect([...out]).toEqual([...src]);
  });

  it("upsamples 2x2 to 4x4 with pixel-centre alignment", () => {
    // Output centres map to source positions -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    const out = resizeBilinear(Float32Array.from([0, 1, 2, 3]), 2, 2, 4, 4);
    close(out, [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3]);
  });

  it("halves 4x4 to 2x2 by averaging each 2x2 block (centres fall between source pixels)", () => {
    const src = Float32Array.from({ length: 16 }, (_, i) => i);
    // Block means: (0+1+4+5)/4, (2+3+6+7)/4, (8+9+12+13)/4, (10+11+14+15)/4.
    close(resizeBilinear(src, 4, 4, 2, 2), [2.5, 4.5, 10.5, 12.5]);
  });

  it("keeps a constant plane constant, up and down, at odd sizes", () => {
    const src = new Float32Array(7 * 5).fill(0.42);
    for (const [dw, dh] of [
      [13, 9],
      [3, 2],
      [7, 11],
      [1, 1],
    ] as const) {
      const out = resizeBilinear(src, 7, 5, dw, dh);
      expect(out.length).toBe(dw * dh);
      for (const v of out) expect(v).toBeCloseTo(0.42, 6);
    }
  });

  it("reproduces a linear ramp away from the borders", () => {
    // Bilinear interpolation is exact for linear functions; only the clamped border pixels differ.
    const src = Float32Array.from({ length: 8 }, (_, x) => x);
    const out = resizeBilinear(src, 8, 1, 32, 1);
    for (let x = 2; x < 30; x++) expect(out[x]).toBeCloseTo((x + 0.5) / 4 - 0.5, 5);
  });

  it("BilinearRows gives any run of columns of resizeBilinear's rows", () => {
    const src = randomPlane(9 * 7, 4);
    for (const [dw, dh] of [
      [23, 16],
      [9, 7],
      [4, 3],
    ] as const) {
      const whole = resizeBilinear(src, 9, 7, dw, dh);
      const rows = new BilinearRows(9, 7, dw, dh);
      const out = new Float32Array(dw);
      for (let y = 0; y < dh; y++) {
        for (const [x0, x1] of [
          [0, dw],
          [1, dw - 1],
          [dw - 2, dw],
        ] as const) {
          rows.row(y, (sy) => src.subarray(sy * 9, sy * 9 + 9), out, x0, x1);
          expect(out.subarray(0, x1 - x0)).toEqual(whole.subarray(y * dw + x0, y * dw + x1));
        }
      }
    }
  });
});

describe("resizeRgbBilinear", () => {
  // A 4x2 image whose red channel is x * 10, green y * 100 and blue constant 7.
  const W = 4,
    H = 2;
  const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => {
    const pixel = Math.floor(i / 3),
      c = i % 3;
    return c === 0 ? (pixel % W) * 10 : c === 1 ? Math.floor(pixel / W) * 100 : 7;
  });
  const whole = { x: 0, y: 0, width: W, height: H };

  it("halves by averaging neighbour pairs, with no wider prefilter", () => {
    // Output centres fall at source x 0.5 and 2.5, y 0.5: red 5 and 25, green 50 (rounded), blue 7.
    expect([...resizeRgbBilinear(rgb, W, whole, 2, 1)]).toEqual([5, 50, 7, 25, 50, 7]);
  });

  it("samples two taps per axis when shrinking 4x: detail between the taps is not averaged in", () => {
    // Centres fall at source x 1.5 and 5.5; the bright pixels 3 and 4 lie between them (an area
    // average would give 25 in both outputs).
    const line = Uint8Array.from([0, 0, 0, 100, 100, 0, 0, 0].flatMap((v) => [v, v, v]));
    expect([...resizeRgbBilinear(line, 8, { x: 0, y: 0, width: 8, height: 1 }, 2, 1)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("reads only the crop box, at its own geometry", () => {
    // Box x 2..3, row 1: a 2x1 crop kept at its size is the source pixels themselves.
    expect([...resizeRgbBilinear(rgb, W, { x: 2, y: 1, width: 2, height: 1 }, 2, 1)]).toEqual([20, 100, 7, 30, 100, 7]);
  });

  it("agrees with the float plane resize, channel by channel, rounded", () => {
    const out = resizeRgbBilinear(rgb, W, whole, 7, 5);
    for (let c = 0; c < 3; c++) {
      const plane = Float32Array.from({ length: W * H }, (_, i) => rgb[i * 3 + c]!);
      const expected = resizeBilinear(plane, W, H, 7, 5);
      expected.forEach((v, i) => expect(out[i * 3 + c]).toBe(Math.round(v)));
    }
  });

  it("rounds halves up, as Math.round does", () => {
    // Halving [0, 0, 0] and [1, 3, 255] gives 0.5, 1.5 and 127.5 (round-half-even would give 0, 2, 128).
    const pair = Uint8Array.from([0, 0, 0, 1, 3, 255]);
    expect([...resizeRgbBilinear(pair, 2, { x: 0, y: 0, width: 2, height: 1 }, 1, 1)]).toEqual([1, 2, 128]);
  });

  it("keeps its output on a crop resized wider and shorter (pinned)", () => {
    // A 5x4 image whose pixel (x, y) is [x * 50 + y, y * 60 + 3, (x * 37 + y * 91) % 256]; its centre 3x3 to 4x2.
    const image = Uint8Array.from({ length: 5 * 4 * 3 }, (_, i) => {
      const x = Math.floor(i / 3) % 5,
        y = Math.floor(i / 15);
      return [x * 50 + y, y * 60 + 3, (x * 37 + y * 91) % 256][i % 3]!;
    });
    expect([...resizeRgbBilinear(image, 5, { x: 1, y: 1, width: 3, height: 3 }, 4, 2)]).toEqual([
      51, 78, 151, 83, 78, 134, 120, 78, 138, 151, 78, 161, 53, 168, 95, 84, 168, 78, 122, 168, 82, 153, 168, 105,
    ]);
  });
});

describe("roundHalfUp", () => {
  it("equals Math.round from -0.5 up, at the edges and on random values", () => {
    const edges = [-0.5, -0.25, -0, 0, 0.49999999999999994, 0.5, 0.5000000000000001, 1.5, 2.4999999999999996, 2.5, 127.5, 254.5, 255];
    const random = randomPlane(10_000, 11).map((v) => v * 256.5 - 0.5);
    for (const v of [...edges, ...random]) expect(roundHalfUp(v), `${v}`).toBe(Math.round(v) + 0);
  });
});
