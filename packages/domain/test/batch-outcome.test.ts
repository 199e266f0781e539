import { describe, expect, it } from "vitest";
import { finalBatchStatus, progressPercent } from "../src/batch-outcome.ts";

describe("finalBatchStatus", () => {
  it("completes a batch that produced at least one image, even with failures", () => {
    expect(finalBatchStatus({ status: "processing", processedImages: 1 })).toBe("completed");
    expect(finalBatchStatus({ status: "processing", processedImages: 500 })).toBe("completed");
  });

  it("fails a batch that produced nothing", () => {
    expect(finalBatchStatus({ status: "processing", processedImages: 0 })).toBe("failed");
    expect(finalBatchStatus({ status: "pending", processedImages: 0 })).toBe("failed");
  });

  it("keeps a cancelled batch cancelled, whatever it produced", () => {
    expect(finalBatchStatus({ status: "cancelled", processedImages: 0 })).toBe("cancelled");
    expect(finalBatchStatus({ status: "cancelled", processedImages: 3 })).toBe("cancelled");
  });
});

describe("progressPercent", () => {
  it("rounds down, so a batch shows 100 % only when every item is done", () => {
    expect(progressPercent(0, 3)).toBe(0);
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(2, 3)).toBe(66);
    expect(progressPercent(499, 500)).toBe(99);
    expect(progressPercent(500, 500)).toBe(100);
  });
});
