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
  private readonly columns: ReturnType<typeof bilinearTaps<Float32Array>>;
  private readonly rows: ReturnType<typeof bilinearTaps<Float64Array>>;

  constructor(
    private readonly sw: number,
    private readonly sh: number,
    private readonly dw: number,
    private readonly dh: number,
  ) {
    this.columns = bilinearTaps(sw, dw);
    this.rows = bilinearTaps(sh, dh, new Float64Array(dh));
  }

  /**
   * Writes columns `x0`..`x1` (default: all dw) of output row `y` into `out` from index 0;
   * `sourceRow(sy)` returns source row sy (sw values).
   */
  row(y: number, sourceRow: (sy: number) => Float32Array, out: Float32Array, x0 = 0, x1 = this.dw): void {
    if (this.sw === this.dw && this.sh === this.dh) {
      out.set(sourceRow(y).subarray(x0, x1));
      return;
    }
    const fy = this.rows.weight[y]!;
    const upper = sourceRow(this.rows.left[y]!);
    const lower = sourceRow(this.rows.right[y]!);
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

/**
 * Source indices and weights of a pixel-centre-aligned bilinear resize from `sw` to `dw` samples along one axis:
 * output sample i blends source samples left[i] and right[i] as (1 - weight[i]) : weight[i]. Column weights are
 * float32; rows pass a Float64Array, the precision their weights have always had (float32 would change some results).
 */
export function bilinearTaps<Weights extends Float32Array | Float64Array = Float32Array>(
  sw: number,
  dw: number,
  weight = new Float32Array(dw) as Weights,
) {
  const left = new Int32Array(dw),
    right = new Int32Array(dw);
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
  const columns = bilinearTaps(box.width, dw);
  const rows = bilinearTaps(box.height, dh, new Float64Array(dh));
  // Byte offsets of each output column's two taps within a source row.
  const left = new Int32Array(dw),
    right = new Int32Array(dw);
  for (let x = 0; x < dw; x++) {
    left[x] = (box.x + columns.left[x]!) * 3;
    right[x] = (box.x + columns.right[x]!) * 3;
  }
  for (let y = 0, o = 0; y < dh; y++) {
    const upper = (box.y + rows.left[y]!) * width * 3,
      lower = (box.y + rows.right[y]!) * width * 3,
      fy = rows.weight[y]!;
    for (let x = 0; x < dw; x++, o += 3) {
      const a = upper + left[x]!,
        b = upper + right[x]!,
        c = lower + left[x]!,
        d = lower + right[x]!,
        fx = columns.weight[x]!;
      // Weights of the four taps, shared by the three channels.
      const wd = fx * fy,
        wc = fy - wd,
        wb = fx - wd,
        wa = 1 - fx - fy + wd;
      out[o] = roundHalfUp(rgb[a]! * wa + rgb[b]! * wb + rgb[c]! * wc + rgb[d]! * wd);
      out[o + 1] = roundHalfUp(rgb[a + 1]! * wa + rgb[b + 1]! * wb + rgb[c + 1]! * wc + rgb[d + 1]! * wd);
      out[o + 2] = roundHalfUp(rgb[a + 2]! * wa + rgb[b + 2]! * wb + rgb[c + 2]! * wc + rgb[d + 2]! * wd);
    }
  }
  return out;
}

/**
 * Math.round(v) for v >= -0.5 (any blend of bytes): v + 0.5 truncated, less one where that addition rounded up
 * onto the next integer (v = 0.49999999999999994). Math.round itself took about two thirds of
 * resizeRgbBilinear's time in V8 (Node 20).
 */
export function roundHalfUp(v: number): number {
  const rounded = (v + 0.5) | 0;
  return rounded - 0.5 > v ? rounded - 1 : rounded;
}
