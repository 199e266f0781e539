import { describe, expect, it } from "vitest";
import { isSoftAlpha, sourceOf, targetChecks, type EvalReport, type ImageResult } from "../src/eval-report.ts";
import { PEER_ROW } from "../src/peer.ts";

const scores = (mae: number, boundaryF = 0.9) => ({ mae, sad: 0, mse: 0, iou: 0, boundaryF, ms: 1 });
function report(images: ImageResult[]): EvalReport {
  const rows: EvalReport["rows"] = {};
  for (const row of Object.keys(images[0]!.scores)) {
    const mean = (k: "mae" | "boundaryF") => images.reduce((s, p) => s + p.scores[row]![k], 0) / images.length;
    rows[row] = { ...scores(mean("mae"), mean("boundaryF")), msPerImage: 1 };
  }
  return { data: "x", images: images.length, rows, perImage: images };
}

describe("eval report", () => {
  it("calls ground truth soft when at least 1 % of scored pixels are strictly between 0.02 and 0.98", () => {
    const truth = new Float32Array(1000);
    for (let i = 0; i < 9; i++) truth[i] = 0.5;
    expect(isSoftAlpha(truth, null)).toBe(false);
    truth[9] = 0.5;
    expect(isSoftAlpha(truth, null)).toBe(true);
    const ignore = new Uint8Array(1000);
    ignore.fill(1, 0, 5);
    expect(isSoftAlpha(truth, ignore)).toBe(false);
  });

  it("names each dev-set source by its id prefix", () => {
    expect(sourceOf("gc-teddy")).toBe("GrabCut");
    expect(sourceOf("coco-1-dog")).toBe("COCO");
    expect(sourceOf("amt-gt04")).toBe("alphamatting.com");
  });

  it("flags a catastrophic image, a basic worse than the peer, and a too small soft-alpha gain", () => {
    const tiers = ["basic", "standard", "industry"];
    const images: ImageResult[] = [
      {
        id: "amt-a",
        source: "alphamatting.com",
        soft: true,
        scores: { basic: scores(0.1), standard: scores(0.1), industry: scores(0.09, 0.95), [PEER_ROW]: scores(0.05) },
      },
      {
        id: "gc-b",
        source: "GrabCut",
        soft: false,
        scores: { basic: scores(0.3), standard: scores(0.02), industry: scores(0.01, 0.95), [PEER_ROW]: scores(0.05) },
      },
    ];
    const failed = targetChecks(report(images), tiers)
      .filter((c) => !c.ok)
      .map((c) => c.label);
    expect(failed).toEqual([
      "standard has higher boundary F than basic",
      "basic is no worse than the peer on MAE",
      "on soft alpha, industry's MAE is ≥ 15 % below standard's (10.0 %)",
      "basic: no image above 0.25 MAE where the peer is below 0.1 (gc-b)",
    ]);
  });
});
