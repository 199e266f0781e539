import { createHash } from "node:crypto";
import { DomainError, hasControlCharacters, SINGLE_LIMITS } from "@bgr/domain";
import type { FastifyRequest } from "fastify";

export interface UploadedFile {
  fieldName: string;
  fileName: string;
  bytes: Buffer;
  /** Hex SHA-256 of the bytes: what identifies the upload for Idempotency-Key. */
  sha256: string;
}

/**
 * Reads a small multipart form (one image of at most 10 MB plus text fields) into memory.
 * `precheck` runs when the image starts, with the fields sent before it: throwing stops the upload unread.
 */
export async function readSingleUpload(
  request: FastifyRequest,
  precheck: (fields: Record<string, string>) => Promise<void>,
): Promise<{ file: UploadedFile; fields: Record<string, string> }> {
  if (!request.isMultipart()) {
    throw new DomainError("INVALID_IMAGE", 'Send multipart/form-data with the image in a field named "image" and the tier in "tier".');
  }
  const fields: Record<string, string> = {};
  let file: UploadedFile | null = null;
  try {
    for await (const part of request.parts({ limits: { fileSize: SINGLE_LIMITS.maxFileBytes, files: 1, fields: 20 } })) {
      if (part.type === "file") {
        if (hasControlCharacters(part.filename)) {
          part.file.resume();
          throw new DomainError(
            "INVALID_IMAGE",
            "The file name contains control characters (such as NUL). Rename the file and upload it again.",
          );
        }
        await precheck(fields);
        const bytes = await part.toBuffer();
        file = {
          fieldName: part.fieldname,
          fileName: part.filename || "image",
          bytes,
          sha256: createHash("sha256").update(bytes).digest("hex"),
        };
        if (part.file.truncated) throw tooLarge();
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === "FST_FILES_LIMIT")
      throw new DomainError("INVALID_IMAGE", "Send one image per request; use /batch for several.");
    throw error;
  }
  if (!file || file.fieldName !== "image")
    throw new DomainError("INVALID_IMAGE", 'No image received: put the file in a field named "image".');
  return { file, fields };
}

function tooLarge(): DomainError<"FILE_TOO_LARGE"> {
  return new DomainError(
    "FILE_TOO_LARGE",
    `The image is larger than ${SINGLE_LIMITS.maxFileBytes / 1024 / 1024} MB. Resize or compress it and try again.`,
    {
      actualBytes: SINGLE_LIMITS.maxFileBytes + 1,
      maxBytes: SINGLE_LIMITS.maxFileBytes,
    },
  );
}
