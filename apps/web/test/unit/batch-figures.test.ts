import { describe, expect, it } from "vitest";
import { batchFigures } from "../../src/lib/batch-figures.ts";

const progress = { totalImages: 5, processedImages: 0, failedImages: 0, cancelledImages: 0, percentage: 0 };

describe("batchFigures", () => {
  it("tells a cancelled batch by what was done and cancelled, and charges only what was paid", () => {
    const figures = batchFigures({
      progress: { ...progress, processedImages: 2, cancelledImages: 3, percentage: 40 },
      pricing: { totalCredits: 40, refundedCredits: 24, netCredits: 16 },
    });
    expect(figures).toEqual({ progressLine: "2 of 5 done · 3 cancelled", creditsLine: "16 credits (24 credits refunded)" });
  });

  it("shows the percentage while running and the full price until the batch settles", () => {
    expect(
      batchFigures({
        progress: { ...progress, processedImages: 1, percentage: 20 },
        pricing: { totalCredits: 40, refundedCredits: null, netCredits: null },
      }),
    ).toEqual({
      progressLine: "20 % · 1 of 5",
      creditsLine: "40 credits",
    });
  });

  it("counts failed items as done, and names their refund", () => {
    const figures = batchFigures({
      progress: { ...progress, processedImages: 4, failedImages: 1, percentage: 100 },
      pricing: { totalCredits: 40, refundedCredits: 8, netCredits: 32 },
    });
    expect(figures).toEqual({ progressLine: "100 % · 5 of 5", creditsLine: "32 credits (8 credits refunded)" });
  });
});
