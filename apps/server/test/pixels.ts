import sharp from "sharp";

/** Decoded RGBA pixels of an encoded image (tests compare images by their pixels, not their bytes). */
export async function decodeRgba(
  bytes: Uint8Array,
): Promise<{ data: Buffer; width: number; height: number; alphaAt(x: number, y: number): number }> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, alphaAt: (x, y) => data[(y * info.width + x) * 4 + 3]! };
}

/** The multipart body of POST /jobs/:id/compose: the options as JSON, and a background image if any. */
export function composeForm(options: unknown, background?: Uint8Array): FormData {
  const form = new FormData();
  form.set("options", JSON.stringify(options));
  if (background) form.set("background", new Blob([new Uint8Array(background)]), "background.png");
  return form;
}

/**
 * A photo given an alpha channel of its own, as a logo or an earlier cut-out has: the left third half
 * transparent (alpha 128), the top tenth fully transparent, the rest opaque. As a PNG.
 */
export async function withOwnAlpha(
  photo: Uint8Array,
): Promise<{ png: Buffer; width: number; height: number; sourceAlpha(x: number, y: number): number }> {
  const { data, info } = await sharp(photo).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const sourceAlpha = (x: number, y: number) => (y < height / 10 ? 0 : x < width / 3 ? 128 : 255);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[(y * width + x) * 4 + 3] = sourceAlpha(x, y);
  const png = await sharp(data, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  return { png, width, height, sourceAlpha };
}
