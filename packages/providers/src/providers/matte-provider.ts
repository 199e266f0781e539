/** The remote services this package can use. */
export const PROVIDER_NAMES = ["huggingface", "segmind"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface ImageUpload {
  bytes: Uint8Array;
  /** Media type of `bytes`, e.g. image/jpeg. */
  mime: string;
}

/**
 * A remote model that turns a photo into a matte: an encoded image, either a mask (grey, white =
 * subject) or a cut-out (its alpha is the matte), at any size. The local engine composes the result
 * (RemovalEngine.removeWithMatte), so output options behave as they do for the local model.
 */
export interface MatteProvider {
  readonly name: ProviderName;
  /** Recorded as the result's `provider`, e.g. `huggingface:briaai/RMBG-1.4`. */
  readonly id: string;
  /** Throws RemoteCallError when no usable matte came back. */
  matte(image: ImageUpload): Promise<Uint8Array>;
}

/** Removes a trailing slash so `${base}/${model}` never doubles it. */
export function joinUrl(base: string, path: string): URL {
  return new URL(`${base.replace(/\/+$/, "")}/${path.split("/").map(encodeURIComponent).join("/")}`);
}

/** Accepts `data:image/png;base64,....` as well as the bare base64 services usually send. */
export function decodeBase64Image(value: string): Buffer {
  return Buffer.from(value.replace(/^data:[^,]*;base64,/, ""), "base64");
}

export const isImage = (contentType: string) => /^image\//i.test(contentType);
export const isJson = (contentType: string) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);
