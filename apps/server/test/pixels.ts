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
