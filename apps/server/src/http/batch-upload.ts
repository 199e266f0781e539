import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { StagedFile } from "@bgr/core";
import { BATCH_LIMITS, DomainError, hasControlCharacters, storedFileName } from "@bgr/domain";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyRequest } from "fastify";

export interface StagedUpload {
  dir: string;
  files: StagedFile[];
  fields: Record<string, string>;
  /** Hex SHA-256 of each file's bytes, in upload order (computed while streaming; for Idempotency-Key). */
  sha256s: string[];
  /** The file `background`: an image composed behind every item (with its SHA-256, for Idempotency-Key). */
  background?: StagedFile & { sha256: string };
}

/** The multipart file that is the batch's background image, not one of its images. */
const BACKGROUND_FIELD = "background";

/** Cheap checks run before each file is read (rate limit, credits for this many images); throwing stops the upload. */
export type UploadPrecheck = (fields: Record<string, string>, imageCount: number) => Promise<void>;

/**
 * Streams a batch upload (`images` × n + text fields) to a staging directory, one file at a time,
 * so 500 images never sit in memory together. Over-size files are kept as named problems so the
 * answer can list every bad file at once; the caller deletes `dir` afterwards. `precheck` runs
 * before each file is written, so a request that cannot be served stops before it is staged.
 */
export async function stageBatchUpload(request: FastifyRequest, stagingRoot: string, precheck: UploadPrecheck): Promise<StagedUpload> {
  if (!request.isMultipart()) {
    throw new DomainError("INVALID_FILES", 'Send multipart/form-data with the images in fields named "images" and the tier in "tier".', {
      files: [],
    });
  }
  const dir = path.join(stagingRoot, randomUUID());
  const files: StagedFile[] = [];
  const fields: Record<string, string> = {};
  const sha256s: string[] = [];
  let background: StagedUpload["background"];
  let total = 0;
  try {
    // One file more than the most images, so a 501st image is seen and refused; one more for the background.
    const parts = request.parts({ limits: { fileSize: BATCH_LIMITS.maxFileBytes, files: BATCH_LIMITS.maxImages + 2, fields: 20 } });
    for await (const part of parts) {
      if (part.type === "field") {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.fieldname === BACKGROUND_FIELD) {
        if (background) {
          part.file.resume();
          throw new DomainError("INVALID_OPTIONS", 'Send one background image (the file "background") per batch.');
        }
        await mkdir(dir, { recursive: true });
        background = await stageFile(part, path.join(dir, BACKGROUND_FIELD), "background");
        continue;
      }
      if (files.length >= BATCH_LIMITS.maxImages) {
        part.file.resume();
        throw new DomainError(
          "INVALID_IMAGE_COUNT",
          `A batch holds at most ${BATCH_LIMITS.maxImages} images. Split the upload into several batches.`,
          {
            actual: files.length + 1,
            min: BATCH_LIMITS.minImages,
            max: BATCH_LIMITS.maxImages,
          },
        );
      }
      await precheck(fields, files.length + 1);
      // Made with the first file that passed the checks, so a refused upload leaves no directory behind.
      if (files.length === 0) await mkdir(dir, { recursive: true });
      const { sha256, ...file } = await stageFile(part, path.join(dir, String(files.length)), `image-${files.length + 1}`);
      sha256s.push(sha256);
      total += file.size;
      if (total > BATCH_LIMITS.maxTotalBytes) {
        throw new DomainError("BATCH_TOO_LARGE", "These images total more than 2 GiB. Split them into several batches.", {
          actualBytes: total,
          maxBytes: BATCH_LIMITS.maxTotalBytes,
        });
      }
      files.push(file);
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, files, fields, sha256s, ...(background ? { background } : {}) };
}

/** Streams one file part to `target`, hashing it; an over-size or badly named file is kept as a named problem. */
async function stageFile(part: MultipartFile, target: string, fallbackName: string): Promise<StagedFile & { sha256: string }> {
  let size = 0;
  const hash = createHash("sha256");
  part.file.on("data", (chunk: Buffer) => {
    size += chunk.length;
    hash.update(chunk);
  });
  await pipeline(part.file, createWriteStream(target));
  const name = storedFileName(part.filename, fallbackName);
  const problem = part.file.truncated
    ? `Larger than ${BATCH_LIMITS.maxFileBytes / 1024 / 1024} MB.`
    : hasControlCharacters(part.filename)
      ? "The file name contains control characters (such as NUL). Rename the file."
      : undefined;
  return { name, path: target, size, sha256: hash.digest("hex"), ...(problem ? { problem } : {}) };
}
