import { InvalidImageError } from "../errors.ts";
import { toPixels, type ResolvedLayout } from "./layout-options.ts";

/** Alpha at or above this counts as confidently subject. */
const CONFIDENT_ALPHA = 230;
/** A subject needs at least this share of the image confidently opaque (and 64 pixels), or there is none. */
const MIN_FOREGROUND_SHARE = 0.0005;

/**
 * The layout's changes to the matte itself, in place, before any colour work: cleared outside the
 * region of interest, hardened without semi-transparency, and checked for a subject when asked.
 */
export function shapeAlpha(alpha: Uint8Array, width: number, height: number, layout: ResolvedLayout): Uint8Array {
  if (layout.roi) clearOutside(alpha, width, height, layout.roi);
  if (!layout.semitransparency) harden(alpha);
  if (layout.requireForeground && !hasConfidentForeground(alpha)) {
    throw new InvalidImageError(
      "no_foreground",
      "No foreground was found in the image (or in its region of interest). Send a photo with a clear subject, or widen the region of interest.",
    );
  }
  return alpha;
}

function clearOutside(alpha: Uint8Array, width: number, height: number, roi: NonNullable<ResolvedLayout["roi"]>): void {
  const x1 = Math.min(width, toPixels(roi.x1, width));
  const y1 = Math.min(height, toPixels(roi.y1, height));
  const x2 = Math.min(width - 1, toPixels(roi.x2, width));
  const y2 = Math.min(height - 1, toPixels(roi.y2, height));
  for (let y = 0; y < height; y++) {
    const inside = y >= y1 && y <= y2;
    for (let x = 0; x < width; x++) if (!inside || x < x1 || x > x2) alpha[y * width + x] = 0;
  }
}

/**
 * A steep ramp around half opacity: glass and windows become solid subject or background, while the
 * 1-2 px antialiased rim of an edge keeps a few intermediate values.
 */
function harden(alpha: Uint8Array): void {
  for (let i = 0; i < alpha.length; i++) alpha[i] = Math.max(0, Math.min(255, (alpha[i]! - 96) * 4));
}

export function hasConfidentForeground(alpha: Uint8Array): boolean {
  const needed = Math.max(64, Math.ceil(alpha.length * MIN_FOREGROUND_SHARE));
  let count = 0;
  for (let i = 0; i < alpha.length; i++) if (alpha[i]! >= CONFIDENT_ALPHA && ++count >= needed) return true;
  return false;
}
