import sharp from "sharp";
import type { Box } from "../matte/subject-box.ts";

import type { ShadowType } from "@bgr/domain";

export { SHADOW_TYPES, type ShadowType } from "@bgr/domain";

/**
 * How each shadow is projected from the subject's silhouette, in units of the subject's height:
 * `squash` flattens it onto the ground line (1 = upright), `shear` slants it (per unit of its height),
 * `offset` moves it, `blur` softens it.
 */
const PROJECTIONS: Record<ShadowType, { squash: number; shear: number; offset: [number, number]; blur: number }> = {
  drop: { squash: 1, shear: 0, offset: [0.015, 0.025], blur: 0.015 },
  car: { squash: 0.06, shear: 0, offset: [0, 0.04], blur: 0.02 },
  "3d": { squash: 0.35, shear: 1, offset: [0, 0], blur: 0.008 },
};

/**
 * The shadow's alpha (0-255) on the canvas, synthesised from the subject's alpha there: its
 * silhouette projected onto the ground line at the subject's bottom, blurred, times `opacity`.
 * `offset` (x, y in units of the subject's height) replaces the type's own.
 */
export async function shadowAlpha(
  alpha: Uint8Array,
  width: number,
  height: number,
  subject: Box,
  shadow: { type: ShadowType; opacity: number; offset: { x: number; y: number } | null },
): Promise<Uint8Array> {
  const { squash, shear, blur } = PROJECTIONS[shadow.type];
  const offset = shadow.offset ? [shadow.offset.x, shadow.offset.y] : PROJECTIONS[shadow.type].offset;
  const opacity = shadow.opacity;
  const h = subject.height;
  const bottom = subject.y + subject.height - 1;
  const projected = Math.max(1, squash * h);
  const dx = Math.round(offset[0]! * h);
  const dy = Math.round(offset[1]! * h);
  const out = new Uint8Array(width * height);
  const top = Math.max(0, Math.floor(bottom - projected) + dy);
  for (let y = top; y < height; y++) {
    // t: 0 on the ground line, 1 at the top of the projected silhouette.
    const t = (bottom + dy - y) / projected;
    if (t < 0 || t > 1) continue;
    const sourceY = Math.round(bottom - t * (h - 1));
    if (sourceY < 0 || sourceY >= height) continue;
    const slant = t * projected * shear;
    for (let x = 0; x < width; x++) {
      const sourceX = Math.round(x - dx - slant);
      if (sourceX < 0 || sourceX >= width) continue;
      out[y * width + x] = alpha[sourceY * width + sourceX]!;
    }
  }
  const sigma = Math.max(0.5, blur * h);
  const blurred = await sharp(out, { raw: { width, height, channels: 1 } })
    .blur(sigma)
    .toColourspace("b-w")
    .raw()
    .toBuffer();
  for (let i = 0; i < blurred.length; i++) blurred[i] = blurred[i]! * opacity + 0.5;
  return new Uint8Array(blurred.buffer, blurred.byteOffset, blurred.length);
}
