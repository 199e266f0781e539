/**
 * Mean over a (2r+1)x(2r+1) window, clamped at the borders (each output divides by the number of
 * pixels actually inside the image). O(1) per pixel whatever the radius: running sums, rows then columns.
 * `src` and `out` hold at least width*height values (views into larger buffers are fine); `scratch`,
 * as large, holds the row pass, so a caller filtering many planes allocates nothing per call.
 */
export function boxMean(
  src: Float32Array,
  width: number,
  height: number,
  radius: number,
  out: Float32Array = new Float32Array(width * height),
  scratch: Float32Array = new Float32Array(width * height),
): Float32Array {
  const n = width * height;
  if (radius <= 0) {
    out.set(src.subarray(0, n));
    return out;
  }
  const rowPass = scratch;
  for (let y = 0; y < height; y++) rowMeans(src, rowPass, y * width, width, radius);
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
    const o = y * width;
    // One pass per row: write the mean, then slide the window down (add the row entering, then
    // subtract the row leaving, in that order, so the sums round as they always have).
    const add = bottom + 1 < height ? (bottom + 1) * width : -1;
    const sub = top >= 0 ? top * width : -1;
    if (add >= 0 && sub >= 0) {
      for (let x = 0; x < width; x++) {
        const v = acc[x]!;
        out[o + x] = v / count;
        acc[x] = v + rowPass[add + x]! - rowPass[sub + x]!;
      }
    } else if (add >= 0) {
      for (let x = 0; x < width; x++) {
        const v = acc[x]!;
        out[o + x] = v / count;
        acc[x] = v + rowPass[add + x]!;
      }
    } else if (sub >= 0) {
      for (let x = 0; x < width; x++) {
        const v = acc[x]!;
        out[o + x] = v / count;
        acc[x] = v - rowPass[sub + x]!;
      }
    } else {
      for (let x = 0; x < width; x++) out[o + x] = acc[x]! / count;
    }
  }
  return out;
}

/** Horizontal window means of one row (`width` values from `row`), running sum clamped at both ends. */
function rowMeans(src: Float32Array, out: Float32Array, row: number, width: number, radius: number): void {
  let sum = 0;
  const firstRight = Math.min(radius, width - 1);
  for (let x = 0; x <= firstRight; x++) sum += src[row + x]!;
  // Between the borders the window is whole and both of its neighbours exist: no clamping.
  const interiorEnd = width - radius - 1;
  const whole = 2 * radius + 1;
  for (let x = 0; x < width; x++) {
    if (x === radius && x < interiorEnd) {
      for (; x < interiorEnd; x++) {
        out[row + x] = sum / whole;
        sum += src[row + x + radius + 1]!;
        sum -= src[row + x - radius]!;
      }
    }
    const left = x - radius;
    const right = x + radius;
    const count = Math.min(right, width - 1) - Math.max(left, 0) + 1;
    out[row + x] = sum / count;
    if (right + 1 < width) sum += src[row + right + 1]!;
    if (left >= 0) sum -= src[row + left]!;
  }
}
