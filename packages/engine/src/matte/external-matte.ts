import sharp from "sharp";
import { InvalidMatteError } from "../errors.ts";
import type { Matte } from "./predict-matte.ts";

/**
 * Reads a matte someone else made (a remote model's answer) as alpha in 0..1 at `width` x `height`.
 * An image with an alpha channel is a cut-out, so its alpha is the matte; one without is a mask, so
 * its luminance is. Any size is accepted and stretched to the photo's, since services answer at their
 * own working resolution. Fails with InvalidMatteError, never InvalidImageError: the photo is fine.
 */
export async function readExternalMatte(encoded: Uint8Array, width: number, height: number, maxPixels: number): Promise<Matte> {
  const started = performance.now();
  let hasAlpha: boolean;
  let rgba: Buffer;
  try {
    const input = sharp(encoded, { failOn: "error", limitInputPixels: maxPixels, pages: 1 });
    hasAlpha = (await input.metadata()).hasAlpha === true;
    // The same normalisation as the photo's decoding (EXIF rotation, any colour space or bit depth to
    // 8-bit sRGB). Linear resampling: a mask has hard edges on which Lanczos would ring.
    rgba = await input
      .rotate()
      .resize(width, height, { fit: "fill", kernel: "linear" })
      .toColourspace("srgb")
      .ensureAlpha()
      .raw({ depth: "uchar" })
      .toBuffer();
  } catch {
    throw new InvalidMatteError("The matte is not a readable image (truncated, empty or an unsupported format).");
  }
  const n = width * height;
  const alpha = new Float32Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    // Rec. 709 weights on the encoded values: a grey mask (r = g = b) reads back exactly.
    alpha[i] = hasAlpha ? rgba[j + 3]! / 255 : (0.2126 * rgba[j]! + 0.7152 * rgba[j + 1]! + 0.0722 * rgba[j + 2]!) / 255;
  }
  return { alpha, width, height, timings: { inferenceMs: 0, refineMs: performance.now() - started } };
}
