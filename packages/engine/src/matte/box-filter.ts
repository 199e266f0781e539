/**
 * Mean over a (2r+1)x(2r+1) window, clamped at the borders (each output divides by the number of
 * pixels actually inside the image). O(1) per pixel whatever the radius: running sums, rows then columns.
 */
export function boxMean(
  src: Float32Array,
  width: number,
  height: number,
  radius: number,
  out = new Float32Array(src.length),
): Float32Array {
  if (radius <= 0) {
    out.set(src);
    return out;
  }
  const rowPass = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let sum = 0;
    const firstRight = Math.min(radius, width - 1);
    for (let x = 0; x <= firstRight; x++) sum += src[row + x]!;
    for (let x = 0; x < width; x++) {
      const left = x - radius;
      const right = x + radius;
      const count = Math.min(right, width - 1) - Math.max(left, 0) + 1;
      rowPass[row + x] = sum / count;
      if (right + 1 < width) sum += src[row + right + 1]!;
      if (left >= 0) sum -= src[row + left]!;
    }
  }
  // Every row of a window has the same horizontal count, so the mean of the row means is the 2-D mean.
  // A running row of sums keeps the vertical pass's memory access sequential.
  const acc = new Float64Array(width);
  const firstBottom = Math.min(radius, height - 1);
  for (let y = 0; y <= firstBottom; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) acc[x]! += rowPass[row + x]!;
  }
  for (let y = 0; y < height; y++) {
    const top = y - radius;
    const bottom = y + radius;
    const count = Math.min(bottom, height - 1) - Math.max(top, 0) + 1;
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = acc[x]! / count;
    if (bottom + 1 < height) {
      const add = (bottom + 1) * width;
      for (let x = 0; x < width; x++) acc[x]! += rowPass[add + x]!;
    }
    if (top >= 0) {
      const sub = top * width;
      for (let x = 0; x < width; x++) acc[x]! -= rowPass[sub + x]!;
    }
  }
  return out;
}
