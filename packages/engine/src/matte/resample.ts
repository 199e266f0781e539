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
