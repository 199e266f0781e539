import { DomainError } from "./errors.ts";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Upload limits of POST /remove (spec 3.2.1). */
export const SINGLE_LIMITS = Object.freeze({ maxFileBytes: 10 * MiB });

/**
 * Upload limits of POST /batch (spec 3.2.2). A batch of one is refused: a single image goes through
 * /remove, where a subscription can pay for it.
 */
export const BATCH_LIMITS = Object.freeze({ minImages: 2, maxImages: 500, maxFileBytes: 10 * MiB, maxTotalBytes: 2 * GiB });

export function assertBatchImageCount(imageCount: number): void {
  const { minImages: min, maxImages: max } = BATCH_LIMITS;
  if (!Number.isInteger(imageCount) || imageCount < min || imageCount > max) {
    throw new DomainError(
      "INVALID_IMAGE_COUNT",
      imageCount > max
        ? `A batch holds at most ${max} images and this one has ${imageCount}. Split it into several batches.`
        : `A batch needs ${min} to ${max} images and this one has ${imageCount}. For a single image, use the single removal instead.`,
      { actual: imageCount, min, max },
    );
  }
}

/** Checks one file against a per-file limit (SINGLE_LIMITS or BATCH_LIMITS). */
export function assertFileSize(sizeBytes: number, limits: { maxFileBytes: number }): void {
  if (sizeBytes > limits.maxFileBytes) {
    throw new DomainError(
      "FILE_TOO_LARGE",
      `This file is ${formatSize(sizeBytes)} and the limit is ${formatSize(limits.maxFileBytes)} per image. Resize or compress it and upload it again.`,
      { actualBytes: sizeBytes, maxBytes: limits.maxFileBytes },
    );
  }
}

/** Checks a whole batch upload: image count, each file, then the total. */
export function assertBatchUpload(fileSizesBytes: readonly number[]): void {
  assertBatchImageCount(fileSizesBytes.length);
  for (const size of fileSizesBytes) assertFileSize(size, BATCH_LIMITS);
  const total = fileSizesBytes.reduce((sum, size) => sum + size, 0);
  if (total > BATCH_LIMITS.maxTotalBytes) {
    throw new DomainError(
      "BATCH_TOO_LARGE",
      `These images total ${formatSize(total)} and a batch may hold at most ${formatSize(BATCH_LIMITS.maxTotalBytes)}. Split them into several batches.`,
      { actualBytes: total, maxBytes: BATCH_LIMITS.maxTotalBytes },
    );
  }
}

// Rounded up, so a file just over the limit never reads as equal to it.
function formatSize(bytes: number): string {
  const [unit, name] = bytes >= GiB ? [GiB, "GiB"] : [MiB, "MiB"];
  return `${Math.ceil((bytes / unit) * 10) / 10} ${name}`;
}
