import { describe, expect, it } from "vitest";
import { isDomainError } from "../src/errors.ts";
import { BATCH_LIMITS, SINGLE_LIMITS, assertBatchImageCount, assertBatchUpload, assertFileSize } from "../src/limits.ts";

const MiB = 1024 * 1024;

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDomainError(error) ? error.code : "not a DomainError";
  }
  return undefined;
}

describe("limits", () => {
  it("match spec 3.2.1/3.2.2: 10 MiB per file, 2..500 images and 2 GiB per batch", () => {
    expect(SINGLE_LIMITS).toEqual({ maxFileBytes: 10 * MiB });
    expect(BATCH_LIMITS).toEqual({ minImages: 2, maxImages: 500, maxFileBytes: 10 * MiB, maxTotalBytes: 2 * 1024 * MiB });
  });

  it.each([
    [1, "INVALID_IMAGE_COUNT"],
    [2, undefined],
    [500, undefined],
    [501, "INVALID_IMAGE_COUNT"],
    [0, "INVALID_IMAGE_COUNT"],
    [3.5, "INVALID_IMAGE_COUNT"],
  ])("a batch of %s images → %s", (count, code) => {
    expect(codeOf(() => assertBatchImageCount(count))).toBe(code);
  });

  it("points a one-image batch at the single removal", () => {
    expect(() => assertBatchImageCount(1)).toThrow(/use the single removal/);
  });

  it("accepts a file of exactly the limit and refuses one byte more, with the numbers", () => {
    expect(codeOf(() => assertFileSize(10 * MiB, SINGLE_LIMITS))).toBeUndefined();
    try {
      assertFileSize(10 * MiB + 1, SINGLE_LIMITS);
      expect.fail("should throw");
    } catch (error) {
      if (!isDomainError(error, "FILE_TOO_LARGE")) throw error;
      expect(error.details).toEqual({ actualBytes: 10 * MiB + 1, maxBytes: 10 * MiB });
      expect(error.message).toBe("This file is 10.1 MiB and the limit is 10 MiB per image. Resize or compress it and upload it again.");
    }
  });

  it("checks a batch upload's count, each file and the total", () => {
    expect(codeOf(() => assertBatchUpload([MiB, MiB]))).toBeUndefined();
    expect(codeOf(() => assertBatchUpload([MiB]))).toBe("INVALID_IMAGE_COUNT");
    expect(codeOf(() => assertBatchUpload([MiB, 11 * MiB]))).toBe("FILE_TOO_LARGE");
    const full = Array.from({ length: 205 }, () => 10 * MiB); // 2050 MiB > 2048 MiB
    expect(codeOf(() => assertBatchUpload(full))).toBe("BATCH_TOO_LARGE");
    expect(codeOf(() => assertBatchUpload(full.slice(0, 204).concat(8 * MiB)))).toBeUndefined(); // exactly 2 GiB
  });
});
