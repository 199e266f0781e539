import { describe, expect, it } from "vitest";
import { fuseViews } from "../src/matte/view-fusion.ts";

const fuse = (a: number[], b: number[], fusion: Parameters<typeof fuseViews>[2]) => Array.from(fuseViews(Float32Array.from(a), Float32Array.from(b), fusion));

describe("fuseViews", () => {
  it("averages the views with mean", () => {
    expect(fuse([0, 1, 0.2], [1, 1, 0.6], { kind: "mean" })).toEqual([0.5, 1, expect.closeTo(0.4, 6)]);
  });

  it("averages agreeing views and keeps the surer view where they disagree, with confident", () => {
    const out = fuse([0.6, 0.9, 0.05, 0.55], [0.7, 0.3, 0.6, 0.98], { kind: "confident", disagreement: 0.3 });
    expect(out[0]).toBeCloseTo(0.65, 6); // 0.1 apart: averaged
    expect(out[1]).toBeCloseTo(0.9, 6); // 0.6 apart: 0.9 is surer than 0.3
    expect(out[2]).toBeCloseTo(0.05, 6); // background in one view, a faint ghost in the other
    expect(out[3]).toBeCloseTo(0.98, 6);
  });
});
