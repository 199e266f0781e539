import { describe, expect, it } from "vitest";
import { boundaryF, boundaryMap, scoreMatte } from "../src/metrics.ts";
import { percentile } from "../src/stats.ts";

const plane = (rows: number[][]) => Float32Array.from(rows.flat());

describe("scoreMatte", () => {
  it("scores a perfect prediction as perfect", () => {
    const truth = plane([
      [0, 0, 1, 1],
      [0, 0.5, 1, 1],
    ]);
    expect(scoreMatte(truth, truth, 4, 2)).toEqual({ mae: 0, sad: 0, mse: 0, iou: 1, boundaryF: 1 });
  });

  it("computes MAE, SAD, MSE and IoU by hand", () => {
    const truth = plane([[0, 0, 1, 1]]);
    const predicted = plane([[0, 0.5, 1, 0]]); // errors 0, .5, 0, 1
    const s = scoreMatte(predicted, truth, 4, 1);
    expect(s.mae).toBeCloseTo(1.5 / 4);
    expect(s.sad).toBeCloseTo(1.5 / 1000);
    expect(s.mse).toBeCloseTo(1.25 / 4);
    // At 0.5: predicted {1,2}, truth {2,3} -> intersection 1, union 3.
    expect(s.iou).toBeCloseTo(1 / 3);
  });

  it("leaves ignored pixels out of every per-pixel metric", () => {
    const truth = plane([[0, 1, 1, 1]]);
    const predicted = plane([[1, 1, 1, 1]]);
    const ignore = Uint8Array.from([1, 0, 0, 0]);
    const s = scoreMatte(predicted, truth, 4, 1, ignore);
    expect(s.mae).toBe(0);
    expect(s.iou).toBe(1);
    expect(scoreMatte(predicted, truth, 4, 1).mae).toBeCloseTo(0.25);
  });
});

describe("boundary F", () => {
  const square = (size: number, from: number, to: number, shift = 0) => {
    const a = new Float32Array(size * size);
    for (let y = from; y < to; y++) for (let x = from + shift; x < to + shift; x++) a[y * size + x] = 1;
    return a;
  };

  it("marks pixels on both sides of an edge", () => {
    const edge = boundaryMap(plane([[0, 0, 1, 1]]), 4, 1);
    expect([...edge]).toEqual([0, 1, 1, 0]);
  });

  it("forgives shifts within 3 px and punishes larger ones", () => {
    const truth = square(40, 10, 30);
    expect(boundaryF(square(40, 10, 30, 2), truth, 40, 40)).toBe(1);
    expect(boundaryF(square(40, 10, 30, 8), truth, 40, 40)).toBeLessThan(0.7);
    expect(boundaryF(new Float32Array(1600), truth, 40, 40)).toBe(0);
  });

  it("treats an unlabeled band as where the true edge lies", () => {
    const truth = square(40, 10, 30);
    const ignore = new Uint8Array(1600);
    // A 6 px band around the square's left edge: a prediction anywhere inside it is on the edge.
    for (let y = 10; y < 30; y++) for (let x = 7; x < 13; x++) ignore[y * 40 + x] = 1;
    const insideBand = square(40, 10, 30);
    for (let y = 10; y < 30; y++) insideBand[y * 40 + 9] = 1;
    expect(boundaryF(insideBand, truth, 40, 40, ignore)).toBeGreaterThan(0.95);
  });
});

describe("percentile", () => {
  it("uses nearest rank", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10)).toBe(1);
  });
});
