import { describe, expect, it } from "vitest";
import { batchStartBlocker } from "../../src/lib/batch-start.ts";

describe("batchStartBlocker", () => {
  it("allows a priced batch the balance pays for", () => {
    expect(batchStartBlocker({ acceptedCount: 5, totalCredits: 40, balance: 40 })).toBeNull();
  });

  it("says what is short, with the numbers, when credits are too few", () => {
    expect(batchStartBlocker({ acceptedCount: 5, totalCredits: 40, balance: 39 })).toBe(
      "Not enough credits: this batch needs 40, you have 39. Buy credits or remove some images.",
    );
  });

  it("waits for the quote and the balance before allowing a start", () => {
    expect(batchStartBlocker({ acceptedCount: 5, totalCredits: undefined, balance: 100 })).toBe("Working out the price…");
    expect(batchStartBlocker({ acceptedCount: 5, totalCredits: 40, balance: undefined })).toBe("Working out the price…");
  });

  it("asks for at least two images and at most 500", () => {
    expect(batchStartBlocker({ acceptedCount: 0, totalCredits: 0, balance: 10 })).toBe("Add images to start a batch.");
    expect(batchStartBlocker({ acceptedCount: 1, totalCredits: 8, balance: 10 })).toMatch(/at least 2 images/);
    expect(batchStartBlocker({ acceptedCount: 501, totalCredits: 8, balance: 10_000 })).toMatch(/at most 500/);
  });

  it("asks for the background image when an image background is chosen without one", () => {
    expect(batchStartBlocker({ acceptedCount: 5, totalCredits: 40, balance: 40, backgroundImageMissing: true })).toBe(
      "Choose the background image for every result, or pick another background.",
    );
  });
});
