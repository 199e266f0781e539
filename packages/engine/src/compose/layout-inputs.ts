import { InvalidImageError, InvalidOptionsError } from "../errors.ts";
import { probeImage, type DecodeLimits } from "../image/decode.ts";
import type { LayoutOptions } from "./layout-options.ts";

/**
 * The images a layout carries (a background), checked by their headers like the photo itself, so a
 * bad one is refused before anything is charged. Throws InvalidOptionsError naming the background.
 */
export async function checkLayoutImages(layout: LayoutOptions | undefined, limits?: DecodeLimits): Promise<void> {
  const background = layout?.background;
  if (!background || !("image" in background)) return;
  try {
    await probeImage(background.image, limits);
  } catch (error) {
    if (error instanceof InvalidImageError) throw new InvalidOptionsError(`Background image: ${error.message}`);
    throw error;
  }
}
