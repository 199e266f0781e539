import sharp from "sharp";
import type { ImageProbe } from "./decode.ts";

/** Media type of each input format, for sending an image on (e.g. to a remote model). */
export const INPUT_MIME: Record<ImageProbe["format"], string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
  tiff: "image/tiff",
  gif: "image/gif",
};

/**
 * The image as another model should receive it, so that its matte lines up with the upright pixels
 * this engine composes: the file itself when it is already upright (no re-encoding), else re-encoded
 * with the EXIF orientation applied, since a remote service may ignore EXIF. JPEG stays JPEG (quality
 * 95, against PNG's size for a photo); anything else becomes PNG. `probe` is probeImage's answer.
 */
export async function uprightImage(bytes: Uint8Array, probe: ImageProbe): Promise<{ bytes: Uint8Array; mime: string }> {
  if (probe.orientation === 1) return { bytes, mime: INPUT_MIME[probe.format] };
  const upright = sharp(bytes, { pages: 1 }).rotate();
  if (probe.format === "jpeg") return { bytes: await upright.jpeg({ quality: 95 }).toBuffer(), mime: "image/jpeg" };
  return { bytes: await upright.png().toBuffer(), mime: "image/png" };
}
