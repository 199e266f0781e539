import { SINGLE_LIMITS } from "@bgr/domain";
import type { FastifyRequest } from "fastify";
import { RemoveBgError } from "./removebg-errors.ts";

/** The most a JSON or form body may carry: a base64 image at the file limit (4/3 of it) plus the other fields. */
export const MAX_BODY_BYTES = Math.ceil((SINGLE_LIMITS.maxFileBytes * 4) / 3) + 64 * 1024;

export interface RemoveBgRequestInput {
  /** The parameters, as sent (strings from forms, any JSON value from JSON). */
  fields: Record<string, unknown>;
  source: { kind: "bytes"; bytes: Buffer; fileName: string } | { kind: "url"; url: string };
  backgroundFile: Buffer | null;
}

/**
 * Reads remove.bg's three ways of sending an image: multipart `image_file` (plus `bg_image_file`),
 * or `image_file_b64` / `image_url` in JSON or a urlencoded form. Exactly one source is required.
 */
export async function readRemoveBgRequest(request: FastifyRequest): Promise<RemoveBgRequestInput> {
  const fields: Record<string, unknown> = {};
  const files: Record<string, { bytes: Buffer; fileName: string }> = {};
  if (request.isMultipart()) {
    try {
      for await (const part of request.parts({ limits: { fileSize: SINGLE_LIMITS.maxFileBytes, files: 2, fields: 40 } })) {
        if (part.type === "file") {
          const bytes = await part.toBuffer();
          if (part.file.truncated) throw tooLarge(part.fieldname);
          files[part.fieldname] = { bytes, fileName: part.filename || "image" };
        } else {
          fields[part.fieldname] = part.value;
        }
      }
    } catch (error) {
      if ((error as { code?: string }).code === "FST_FILES_LIMIT") throw missing("Send at most two files: image_file and bg_image_file.");
      throw error;
    }
    const unknownFile = Object.keys(files).find((name) => name !== "image_file" && name !== "bg_image_file");
    if (unknownFile) throw missing(`Unknown file field "${unknownFile}": send the photo as image_file and a background as bg_image_file.`);
  } else if (request.body && typeof request.body === "object") {
    Object.assign(fields, request.body);
  }

  const { image_file_b64: b64, image_url: url, ...parameters } = fields;
  const given = [files.image_file && "image_file", b64 && "image_file_b64", url && "image_url"].filter(Boolean);
  if (given.length !== 1) {
    throw missing(
      given.length === 0
        ? "No image given: send image_file (multipart), image_file_b64 or image_url."
        : `Give exactly one image source, not ${given.join(" and ")}.`,
    );
  }
  const source: RemoveBgRequestInput["source"] = files.image_file
    ? { kind: "bytes", ...files.image_file }
    : b64
      ? { kind: "bytes", bytes: decodeBase64(b64), fileName: "image" }
      : { kind: "url", url: String(url) };
  return { fields: parameters, source, backgroundFile: files.bg_image_file?.bytes ?? null };
}

function decodeBase64(value: unknown): Buffer {
  // Data URLs are accepted too, as browsers produce them.
  const text = String(value).replace(/^data:[^,]*;base64,/, "");
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text.replace(/\s+/g, ""))) {
    throw new RemoveBgError(
      400,
      "invalid_parameter",
      "Invalid parameter: image_file_b64",
      "image_file_b64 is not base64. Send the file's bytes base64-encoded.",
    );
  }
  const bytes = Buffer.from(text, "base64");
  if (bytes.length > SINGLE_LIMITS.maxFileBytes) throw tooLarge("image_file_b64");
  return bytes;
}

function missing(detail: string): RemoveBgError {
  return new RemoveBgError(400, "missing_source", "No image given", detail);
}

function tooLarge(field: string): RemoveBgError {
  return new RemoveBgError(
    400,
    "file_too_large",
    "File too large",
    `${field} is larger than ${SINGLE_LIMITS.maxFileBytes / 1024 / 1024} MB. Resize or compress it and try again.`,
  );
}
