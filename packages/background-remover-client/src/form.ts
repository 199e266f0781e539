import type { BatchFile, BinaryInput, RemoveBackgroundOptions, StartBatchOptions } from "./types.ts";

/** Wraps bytes in a Blob without copying them, unless they live in a SharedArrayBuffer (Blob cannot take those). */
export function toBlob(data: BinaryInput): Blob {
  if (data instanceof Blob) return data;
  if (data instanceof ArrayBuffer) return new Blob([data]);
  if (ArrayBuffer.isView(data)) {
    const view = data.buffer instanceof ArrayBuffer ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
    return new Blob([view]);
  }
  throw new TypeError("Image data must be a Blob (or File), a Uint8Array (a Node Buffer is one) or an ArrayBuffer.");
}

function fileNameOf(data: BinaryInput, fallback: string): string {
  const name = (data as { name?: unknown }).name;
  return typeof name === "string" && name.length > 0 ? name : fallback;
}

/** The multipart body of `POST /remove`: the text fields, then the file in `image`. */
export function buildRemoveForm(image: BinaryInput, options: RemoveBackgroundOptions): FormData {
  const form = new FormData();
  form.set("tier", options.tier);
  if (options.format) form.set("format", options.format);
  if (options.background) form.set("background", options.background);
  if (options.result) form.set("result", options.result);
  if (options.crop) {
    form.set("crop", "true");
    const margin = typeof options.crop === "object" ? options.crop.marginPx : undefined;
    if (margin !== undefined) form.set("cropMargin", String(margin));
  }
  form.set("image", toBlob(image), options.fileName ?? fileNameOf(image, "image"));
  return form;
}

/** The multipart body of `POST /batch`: `tier` (and `callbackUrl`), then one `images` part per file. */
export function buildBatchForm(files: readonly BatchFile[], options: StartBatchOptions): FormData {
  const form = new FormData();
  form.set("tier", options.tier);
  if (options.callbackUrl) form.set("callbackUrl", options.callbackUrl);
  for (const file of files) form.append("images", toBlob(file.data), file.name);
  return form;
}
