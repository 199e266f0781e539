import { DomainError, SINGLE_LIMITS } from "@bgr/domain";
import type { FastifyRequest } from "fastify";

/**
 * A small multipart form of text fields and at most one image in `fileField` (10 MB), read into
 * memory: the editor's compose options with a background image, or an edited matte.
 */
export async function readEditorUpload(
  request: FastifyRequest,
  fileField: string,
): Promise<{ fields: Record<string, string>; file: Buffer | null }> {
  if (!request.isMultipart())
    throw new DomainError("INVALID_OPTIONS", `Send multipart/form-data (text fields, and an image in the field "${fileField}" if any).`);
  const fields: Record<string, string> = {};
  let file: Buffer | null = null;
  for await (const part of request.parts({ limits: { fileSize: SINGLE_LIMITS.maxFileBytes, files: 1, fields: 10 } })) {
    if (part.type !== "file") {
      fields[part.fieldname] = String(part.value);
      continue;
    }
    if (part.fieldname !== fileField) {
      part.file.resume();
      throw new DomainError("INVALID_OPTIONS", `Unexpected file field "${part.fieldname}": send the image as "${fileField}".`);
    }
    file = await part.toBuffer();
    if (part.file.truncated)
      throw new DomainError(
        "FILE_TOO_LARGE",
        `The image is larger than ${SINGLE_LIMITS.maxFileBytes / 1024 / 1024} MB. Resize or compress it and try again.`,
        { actualBytes: SINGLE_LIMITS.maxFileBytes + 1, maxBytes: SINGLE_LIMITS.maxFileBytes },
      );
  }
  return { fields, file };
}
