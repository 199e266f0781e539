/**
 * Bilinear resampling of a single-channel float plane with pixel-centre alignment
 * (the same geometry as align_corners=false in the model's training code).
 */
export function resizeBilinear(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const out = new Float32Array(dw * dh);
  const rows = new BilinearRows(sw, sh, dw, dh);
  const sourceRow = (y: number) => src.subarray(y * sw, (y + 1) * sw);
  for (let y = 0; y < dh; y++) rows.row(y, sourceRow, out.subarray(y * dw, (y + 1) * dw));
  return out;
}

/**
 * The same resize one output row at a time, reading source rows on demand, so a caller can stream
 * a full-resolution plane through strips instead of holding it whole. Values equal resizeBilinear's.
 */
export class BilinearRows {
  private readonly columns: ReturnType<typeof bilinearTaps>;

  constructor(
    private readonly sw: number,
    private readonly sh: number,
    private readonly dw: number,
    private readonly dh: number,
  ) {
    this.columns = bilinearTaps(sw, dw);
  }

  /**
   * Writes columns `x0`..`x1` (default: all dw) of output row `y` into `out` from index 0;
   * `sourceRow(sy)` returns source row sy (sw values).
   */
  row(y: number, sourceRow: (sy: number) => Float32Array, out: Float32Array, x0 = 0, x1 = this.dw): void {
    const { sw, sh, dw, dh } = this;
    if (sw === dw && sh === dh) {
      out.set(sourceRow(y).subarray(x0, x1));
      return;
    }
    const pos = Math.min(Math.max((y + 0.5) * (sh / dh) - 0.5, 0), sh - 1);
    const top = Math.floor(pos);
    const fy = pos - top;
    const upper = sourceRow(top);
    const lower = sourceRow(Math.min(top + 1, sh - 1));
    const { left, right, weight } = this.columns;
    for (let x = x0; x < x1; x++) {
      const l = left[x]!,
        r = right[x]!,
        f = weight[x]!;
      const a = upper[l]!,
        b = upper[r]!,
        c = lower[l]!,
        d = lower[r]!;
      const topValue = a + (b - a) * f;
      const bottomValue = c + (d - c) * f;
      out[x - x0] = topValue + (bottomValue - topValue) * fy;
    }
  }
}

/** Source columns and weights of a pixel-centre-aligned bilinear resize from `sw` to `dw` columns. */
export function bilinearTaps(sw: number, dw: number) {
  const left = new Int32Array(dw),
    right = new Int32Array(dw),
    weight = new Float32Array(dw);
  const sx = sw / dw;
  for (let x = 0; x < dw; x++) {
    const pos = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
    left[x] = Math.floor(pos);
    right[x] = Math.min(left[x]! + 1, sw - 1);
    weight[x] = pos - left[x]!;
  }
  return { left, right, weight };
}

/**
 * Interleaved 8-bit RGB crop `box` of an image resized to `dw`×`dh` by plain bilinear interpolation
 * (two taps per axis, no antialiasing prefilter, pixel-centre alignment), rounded to 8 bits. This is
 * how the model's training code fed it (torch `interpolate(mode="bilinear")`), so it sees the same
 * texture statistics as in training, not a sharpened or smoothed version of them.
 */
export function resizeRgbBilinear(
  rgb: Uint8Array,
  width: number,
  box: { x: number; y: number; width: number; height: number },
  dw: number,
  dh: number,
): Uint8Array {
  const out = new Uint8Array(dw * dh * 3);
  const { left, right, weight } = bilinearTaps(box.width, dw);
  const sy = box.height / dh;
  for (let y = 0; y < dh; y++) {
    const pos = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), box.height - 1);
    const top = Math.floor(pos);
    const fy = pos - top;
    const upper = ((box.y + top) * width + box.x) * 3;
    const lower = ((box.y + Math.min(top + 1, box.height - 1)) * width + box.x) * 3;
    for (let x = 0, o = y * dw * 3; x < dw; x++, o += 3) {
      const a = upper + left[x]! * 3,
        b = upper + right[x]! * 3,
        c = lower + left[x]! * 3,
        d = lower + right[x]! * 3,
        fx = weight[x]!;
      // Weights of the four taps, shared by the three channels.
      const wd = fx * fy,
        wc = fy - wd,
        wb = fx - wd,
        wa = 1 - fx - fy + wd;
      out[o] = Math.round(rgb[a]! * wa + rgb[b]! * wb + rgb[c]! * wc + rgb[d]! * wd);
      out[o + 1] = Math.round(rgb[a + 1]! * wa + rgb[b + 1]! * wb + rgb[c + 1]! * wc + rgb[d + 1]! * wd);
      out[o + 2] = Math.round(rgb[a + 2]! * wa + rgb[b + 2]! * wb + rgb[c + 2]! * wc + rgb[d + 2]! * wd);
    }
  }
  return out;
}
