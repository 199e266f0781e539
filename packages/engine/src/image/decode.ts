import sharp from "sharp";
import { InvalidImageError } from "../errors.ts";

export const SUPPORTED_INPUT_FORMATS = ["jpeg", "png", "webp", "avif", "tiff", "gif"] as const;
const FORMAT_HINT = "Use a JPEG, PNG, WebP, AVIF, TIFF or GIF image.";

export interface DecodeLimits {
  /** Largest width x height accepted; checked on the header, before any pixel is decoded. */
  maxPixels: number;
  /** Smallest side accepted: below it there is no subject to find. */
  minSide: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxPixels: 50_000_000, minSide: 8 };

/** An upright 8-bit sRGB image with alpha, interleaved RGBA. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Buffer;
  /** Whether the source carried transparency that the result must keep. */
  hasAlpha: boolean;
  format: (typeof SUPPORTED_INPUT_FORMATS)[number];
}

/**
 * The one decoding path of every image operation: EXIF orientation applied, any colour space
 * (CMYK, greyscale, 16-bit) converted to 8-bit sRGB, alpha kept. Animated images use their first
 * frame. Every failure is an InvalidImageError that names the problem.
 */
/** What the header says, checked against the limits, without decoding a pixel: cheap enough to run before charging. */
export interface ImageProbe {
  format: (typeof SUPPORTED_INPUT_FORMATS)[number];
  width: number;
  height: number;
  hasAlpha: boolean;
  /** EXIF orientation, 1 (upright, also when absent) to 8; decoding applies it. */
  orientation: number;
}

/** `input` is the image's bytes, or the path of a file holding them (only its header is read). */
export async function probeImage(input: Uint8Array | string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<ImageProbe> {
  if (typeof input !== "string" && input.length === 0) throw new InvalidImageError("empty", `The file is empty. ${FORMAT_HINT}`);
  let meta: sharp.Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new InvalidImageError("unsupported_format", `The file is not an image we can read. ${FORMAT_HINT}`);
  }
  // libheif reads AVIF, so sharp reports it as HEIF with AV1 compression.
  const detected = meta.format === "heif" && meta.compression === "av1" ? "avif" : meta.format;
  const format = SUPPORTED_INPUT_FORMATS.find((f) => f === detected);
  if (!format) {
    throw new InvalidImageError("unsupported_format", `${String(detected).toUpperCase()} images are not supported. ${FORMAT_HINT}`);
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (width * height > limits.maxPixels) {
    throw new InvalidImageError(
      "too_many_pixels",
      `The image is ${width}x${height} pixels; the limit is ${(limits.maxPixels / 1e6).toFixed(0)} megapixels. Resize it and try again.`,
    );
  }
  if (width < limits.minSide || height < limits.minSide) {
    throw new InvalidImageError(
      "too_small",
      `The image is ${width}x${height} pixels; both sides must be at least ${limits.minSide} pixels.`,
    );
  }
  // EXIF orientations 5-8 swap the sides once the image is turned upright.
  const orientation = meta.orientation ?? 1;
  const turned = orientation >= 5;
  return { format, width: turned ? height : width, height: turned ? width : height, hasAlpha: meta.hasAlpha === true, orientation };
}

export async function decodeImage(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Promise<DecodedImage> {
  const { format, hasAlpha } = await probeImage(bytes, limits);
  try {
    const { data, info } = await sharp(bytes, { failOn: "error", limitInputPixels: limits.maxPixels, pages: 1 })
      .rotate()
      .toColourspace("srgb")
      .ensureAlpha()
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, rgba: data, hasAlpha, format };
  } catch {
    throw new InvalidImageError("corrupt", "The image is damaged or truncated and cannot be decoded. Re-export or re-upload it.");
  }
}
