import sharp from "sharp";
import yazl from "yazl";
import { encodeImage } from "../image/encode.ts";
import type { ResolvedLayout } from "./layout-options.ts";

export type LayoutOutputFormat = "png" | "jpg" | "webp" | "zip";

export const LAYOUT_MIME: Record<LayoutOutputFormat, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
  zip: "application/zip",
};

export interface EncodedLayout {
  data: Buffer;
  format: LayoutOutputFormat;
  mime: string;
  width: number;
  height: number;
}

/** remove.bg's ZIP: the colour image without alpha, and the alpha matte beside it, so large results stay small. */
export const ZIP_ENTRIES = { colour: "color.jpg", alpha: "alpha.png" } as const;

/**
 * Encodes the finished RGBA canvas. `alpha` channels → a greyscale matte (PNG unless asked otherwise);
 * `auto` → PNG when anything is transparent, else JPEG; JPEG of a transparent result → over white,
 * as remove.bg does; `zip` → color.jpg + alpha.png.
 */
export async function encodeLayout(
  pixels: Uint8Array,
  width: number,
  height: number,
  layout: Pick<ResolvedLayout, "channels" | "format">,
): Promise<EncodedLayout> {
  const raw = { raw: { width, height, channels: 4 as const } };
  const done = (data: Buffer, format: LayoutOutputFormat): EncodedLayout => ({ data, format, mime: LAYOUT_MIME[format], width, height });
  if (layout.format === "zip") {
    const colour = await encodeImage(sharp(pixels, raw).removeAlpha(), "jpg");
    const alpha = await encodeImage(matteOf(pixels, width, height), "png");
    return done(
      await zipOf([
        [ZIP_ENTRIES.colour, colour],
        [ZIP_ENTRIES.alpha, alpha],
      ]),
      "zip",
    );
  }
  if (layout.channels === "alpha") {
    const format = layout.format === "auto" ? "png" : layout.format;
    return done(await encodeImage(matteOf(pixels, width, height), format), format);
  }
  const transparent = hasTransparency(pixels);
  const format = layout.format === "auto" ? (transparent ? "png" : "jpg") : layout.format;
  let image = sharp(pixels, raw);
  if (format === "jpg") image = image.flatten({ background: { r: 255, g: 255, b: 255 } });
  else if (!transparent) image = image.removeAlpha();
  return done(await encodeImage(image, format), format);
}

/** The alpha channel as a one-channel greyscale image (sharp would otherwise write three identical channels). */
function matteOf(rgba: Uint8Array, width: number, height: number): sharp.Sharp {
  const alpha = new Uint8Array(width * height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3]!;
  return sharp(alpha, { raw: { width, height, channels: 1 } }).toColourspace("b-w");
}

function hasTransparency(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i]! !== 255) return true;
  return false;
}

function zipOf(entries: Array<[string, Buffer]>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on("error", reject);
  });
}
