export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The subject's bounding box in image pixels, from a probability map of any size: pixels above
 * `threshold`, grown by `margin` of the box's larger side on each side, clamped to the image.
 * Null when no pixel passes the threshold.
 */
export function subjectBox(
  probability: Float32Array,
  mapW: number,
  mapH: number,
  imageW: number,
  imageH: number,
  threshold = 0.5,
  margin = 0.08,
): Box | null {
  let minX = mapW,
    minY = mapH,
    maxX = -1,
    maxY = -1;
  for (let y = 0; y < mapH; y++) {
    const row = y * mapW;
    for (let x = 0; x < mapW; x++) {
      if (probability[row + x]! > threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  if (maxX < 0) return null;
  const sx = imageW / mapW,
    sy = imageH / mapH;
  const pad = margin * Math.max((maxX - minX + 1) * sx, (maxY - minY + 1) * sy);
  const x = Math.max(0, Math.floor(minX * sx - pad));
  const y = Math.max(0, Math.floor(minY * sy - pad));
  const right = Math.min(imageW, Math.ceil((maxX + 1) * sx + pad));
  const bottom = Math.min(imageH, Math.ceil((maxY + 1) * sy + pad));
  return { x, y, width: right - x, height: bottom - y };
}
