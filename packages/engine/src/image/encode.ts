import sharp from "sharp";
import { InvalidOptionsError } from "../errors.ts";
import { encodePng } from "./png-encoder.ts";

export const OUTPUT_FORMATS = ["png", "webp", "jpg"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const OUTPUT_MIME: Record<OutputFormat, string> = {
  png: "image/png",
  webp: "image/webp",
  jpg: "image/jpeg",
};

export type RgbColour = [number, number, number];

/** Parses `#rgb` / `#rrggbb` (the `#` optional); anything else is a user error. */
export function parseHexColour(value: string): RgbColour {
  const hex = value.trim().replace(/^#/, "");
  const full = /^[0-9a-f]{3}$/i.test(hex) ? [...hex].map((c) => c + c).join("") : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) {
    throw new InvalidOptionsError(`Background "${value}" is not a colour: use "transparent" or a hex colour such as #ffffff.`);
  }
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as RgbColour;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Encodes interleaved 8-bit pixels (RGBA, RGB or grey), or a region of them, in the requested format. */
export async function encodePixels(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
  format: OutputFormat,
  region: Region | null = null,
): Promise<Buffer> {
  // Whole raw pixels need no sharp pipeline before the PNG encoder.
  if (format === "png" && !region) return encodePng(pixels, width, height, channels);
  let image = sharp(pixels, { raw: { width, height, channels } });
  if (region) image = image.extract({ left: region.x, top: region.y, width: region.width, height: region.height });
  // Without this sharp writes a grey mask as three identical channels.
  if (channels === 1) image = image.toColourspace("b-w");
  return encodeImage(image, format);
}

/** The one set of encoder settings every output uses. */
export async function encodeImage(image: sharp.Sharp, format: OutputFormat): Promise<Buffer> {
  switch (format) {
    case "png": {
      // Our encoder, not sharp's: sharp deflates a PNG on one thread (see png-encoder.ts).
      const { data, info } = await image.raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
      return encodePng(data, info.width, info.height, info.channels);
    }
    case "webp":
      return image.webp({ quality: 90, alphaQuality: 100, effort: 2 }).toBuffer();
    case "jpg":
      return image.jpeg({ quality: 92, mozjpeg: false }).toBuffer();
  }
}
