import { createHash } from "node:crypto";
import { DomainError } from "@bgr/domain";
import { ImageUrlError, type PublicImageFetcher } from "@bgr/integrations";
import type { FastifyRequest } from "fastify";
import type { UploadedFile } from "./multipart.ts";

const HOW =
  'Send JSON { "imageUrl": "https://…/photo.jpg", "tier": "standard" } (other fields as for the multipart form), or multipart with the file in "image".';

/**
 * The JSON form of an upload: the image named by `imageUrl`, fetched through the public-hosts-only
 * fetcher (size cap, magic bytes, no private addresses). `precheck` runs before the fetch, so a
 * request that would be refused downloads nothing. Fields are strings, as from a multipart form.
 */
export async function readImageFromUrl(
  request: FastifyRequest,
  fetcher: PublicImageFetcher,
  precheck: (fields: Record<string, string>) => Promise<void>,
): Promise<{ file: UploadedFile; fields: Record<string, string> }> {
  const body = request.body;
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new DomainError("INVALID_IMAGE", `No image received. ${HOW}`);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!["string", "number", "boolean"].includes(typeof value))
      throw new DomainError("INVALID_OPTIONS", `${name}: give a string, number or boolean. ${HOW}`);
    fields[name] = String(value);
  }
  const { imageUrl, ...rest } = fields;
  if (!imageUrl) throw new DomainError("INVALID_IMAGE", `No image received. ${HOW}`);
  await precheck(rest);
  let bytes: Buffer;
  try {
    ({ bytes } = await fetcher.fetch(imageUrl));
  } catch (error) {
    if (!(error instanceof ImageUrlError)) throw error;
    throw new DomainError("INVALID_IMAGE", `Could not use the image URL: ${error.message}`, { reason: `url-${error.kind}` });
  }
  return {
    file: { fieldName: "image", fileName: fileNameOf(imageUrl), bytes, sha256: createHash("sha256").update(bytes).digest("hex") },
    fields: { ...rest, imageUrl },
  };
}

/** The URL's last path segment ("photo.jpg"), as the job's original file name; the removal cleans it like any upload's. */
function fileNameOf(address: string): string {
  const last = new URL(address).pathname.split("/").pop() ?? "";
  try {
    return decodeURIComponent(last);
  } catch {
    return last; // a malformed %-escape: keep it as written
  }
}
