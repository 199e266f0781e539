import type { Box } from "../matte/subject-box.ts";
import { MAX_MARGIN_PX, toPixels, type ResolvedLayout } from "./layout-options.ts";

export interface Placement {
  canvas: { width: number; height: number };
  /** The subject's box in the source image. */
  source: Box;
  /** Where that box lands on the canvas, at its output size (may reach past the canvas edge only with `original`). */
  target: Box;
}

/**
 * The canvas and where the subject goes on it, from the subject's box in the source image:
 * crop → the subject plus its margins, otherwise the source size; `aspect` then widens or heightens
 * that canvas evenly on both sides; then `scale` resizes the subject relative to the canvas and
 * `position` places it. Pure geometry, so it is tested on its own.
 */
export function placeSubject(
  subject: Box | null,
  imageWidth: number,
  imageHeight: number,
  layout: Pick<ResolvedLayout, "crop" | "aspect" | "scale" | "position">,
): Placement {
  const source = subject ?? { x: 0, y: 0, width: imageWidth, height: imageHeight };
  let canvas = { width: imageWidth, height: imageHeight };
  // Where `original` puts the box's top-left corner on the canvas.
  let originalAt = { x: source.x, y: source.y };
  if (layout.crop) {
    const margin = (length: Parameters<typeof toPixels>[0], side: number) =>
      Math.min(toPixels(length, side), MAX_MARGIN_PX, Math.floor(side / 2));
    const top = margin(layout.crop.top, source.height);
    const bottom = margin(layout.crop.bottom, source.height);
    const left = margin(layout.crop.left, source.width);
    const right = margin(layout.crop.right, source.width);
    canvas = { width: source.width + left + right, height: source.height + top + bottom };
    originalAt = { x: left, y: top };
  }
  if (layout.aspect) {
    const ratio = layout.aspect.width / layout.aspect.height;
    const grown =
      canvas.width / canvas.height < ratio
        ? { width: Math.round(canvas.height * ratio), height: canvas.height }
        : { width: canvas.width, height: Math.round(canvas.width / ratio) };
    originalAt = {
      x: originalAt.x + Math.floor((grown.width - canvas.width) / 2),
      y: originalAt.y + Math.floor((grown.height - canvas.height) / 2),
    };
    canvas = grown;
  }

  const factor = layout.scale === null ? 1 : layout.scale * Math.min(canvas.width / source.width, canvas.height / source.height);
  const width = Math.max(1, Math.round(source.width * factor));
  const height = Math.max(1, Math.round(source.height * factor));
  let x: number, y: number;
  if (layout.position === "original") {
    // Scaled about the subject's own centre, so "original" keeps it where it was.
    x = Math.round(originalAt.x + (source.width - width) / 2);
    y = Math.round(originalAt.y + (source.height - height) / 2);
  } else {
    const at = layout.position === "center" ? { x: 0.5, y: 0.5 } : layout.position;
    x = Math.round((canvas.width - width) * at.x);
    y = Math.round((canvas.height - height) * at.y);
  }
  return { canvas, source, target: { x, y, width, height } };
}

/** The part of `box` inside a canvas, or null when none is. */
export function clipToCanvas(box: Box, width: number, height: number): Box | null {
  const x = Math.max(0, box.x),
    y = Math.max(0, box.y);
  const right = Math.min(width, box.x + box.width),
    bottom = Math.min(height, box.y + box.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}
