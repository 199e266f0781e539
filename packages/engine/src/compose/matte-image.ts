import sharp from "sharp";
import { InvalidMatteError } from "../errors.ts";
import { readExternalMatte } from "../matte/external-matte.ts";

/**
 * An edited matte as it is stored and served: a PNG the photo's size, black, whose alpha is the matte
 * (a browser canvas keeps alpha exactly; grey values it would premultiply). Reads a cut-out's alpha or
 * a mask's luminance like any outside matte, but refuses another size rather than stretch an edit.
 */
export async function encodeMatteImage(encoded: Uint8Array, width: number, height: number): Promise<Buffer> {
  const size = await sharp(encoded)
    .metadata()
    .catch(() => null);
  if (!size?.width || !size.height) throw new InvalidMatteError("The edited matte is not a readable image. Save it again from the editor.");
  if (size.width !== width || size.height !== height) {
    throw new InvalidMatteError(
      `The edited matte is ${size.width} x ${size.height} px but the photo is ${width} x ${height} px. Save it again from the editor, which keeps the photo's size.`,
    );
  }
  const { alpha } = await readExternalMatte(encoded, width, height, width * height);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < alpha.length; i++) rgba[i * 4 + 3] = Math.round(alpha[i]! * 255);
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}
