import { describe, expect, it } from "vitest";
import { fuseViews, type ViewFusion } from "../src/matte/view-fusion.ts";

const fuse = (a: number[], b: number[], fusion: ViewFusion) => Array.from(fuseViews(Float32Array.from(a), Float32Array.from(b), fusion));
const rule: ViewFusion = { disagreement: 0.2, strong: 0.8 };

describe("fuseViews", () => {
  it("averages views that agree", () => {
    const out = fuse([0.6, 0, 1], [0.7, 0.15, 0.9], rule);
    expect(out[0]).toBeCloseTo(0.65, 6);
    expect(out[1]).toBeCloseTo(0.075, 6);
    expect(out[2]).toBeCloseTo(0.95, 6);
  });

  it("keeps a part only one view saw, when that view was sure of it", () => {
    const out = fuse([0.97, 0.02], [0.01, 0.85], rule);
    expect(out[0]).toBeCloseTo(0.97, 6);
    expect(out[1]).toBeCloseTo(0.85, 6);
  });

  it("drops a faint ghost only one view saw", () => {
    const out = fuse([0.6, 0.05], [0.03, 0.45], rule);
    expect(out[0]).toBeCloseTo(0.03, 6);
    expect(out[1]).toBeCloseTo(0.05, 6);
  });

  it("is the plain mean with disagreement 1", () => {
    const out = fuse([0.97, 0.6], [0.01, 0.03], { disagreement: 1, strong: 0.8 });
    expect(out[0]).toBeCloseTo(0.49, 6);
    expect(out[1]).toBeCloseTo(0.315, 6);
  });

  it("treats the two views alike", () => {
    const a = [0.9, 0.1, 0.5, 0.3, 0.75],
      b = [0.2, 0.95, 0.52, 0.7, 0.1];
    expect(fuse(a, b, rule)).toEqual(fuse(b, a, rule));
  });
});
