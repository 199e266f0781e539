import { boxMean } from "./box-filter.ts";
import { BilinearRows } from "./resample.ts";
import type { Box } from "./subject-box.ts";

/** A box of an interleaved 8-bit RGB photo and its 8-bit alpha, both `stride` pixels a row. */
export interface EdgeRegion {
  rgb: Uint8Array;
  alpha: Uint8Array;
  stride: number;
  box: Box;
}

export interface ForegroundOptions {
  /** Window radius of the coarse pass, in pixels of the photo. */
  coarseRadius?: number;
  /** Window radius of the fine pass. */
  fineRadius?: number;
  /** Rows of the box the fine pass computes at once (it also reads `fineRadius` rows above and below). */
  stripRows?: number;
}

/**
 * Receives the estimate for a run of pixels: row `y` of the box, columns `x0` to `x0 + r.length`,
 * planar RGB in 0..1 (views valid during the call).
 */
export type ForegroundRun = (y: number, x0: number, r: Float32Array, g: Float32Array, b: Float32Array) => void;

/**
 * Foreground colour estimation by blur fusion (Forte & Pitié, "Approximate Fast Foreground Colour
 * Estimation", ICIP 2021): a coarse pass (large window) then a fine pass (small window).
 * Semi-transparent edge pixels get the subject's colour, not the old background's, so hair over a
 * green wall does not stay green on a new background.
 *
 * Every semi-transparent pixel of the box arrives in exactly one run, with the estimate. Pixels
 * far from any (more than the fine radius plus a little) are not estimated: an opaque pixel's
 * foreground is its own colour and a transparent one's is never seen, and skipping them leaves
 * the fine pass a few percent of a large photo instead of all of it.
 *
 * Memory: the coarse pass holds only quarter-resolution planes, and the fine pass runs on blocks of
 * a strip of rows read straight from the 8-bit photo, so no full-resolution float plane exists (at
 * 12 MP the whole-plane version held about 12 of them, 48 MB each). Any strip height gives the same
 * values: a block is wide and tall enough that every window it reports lies inside it or meets the
 * box's own border.
 */
export function estimateForeground(region: EdgeRegion, write: ForegroundRun, options: ForegroundOptions = {}): void {
  const { coarseRadius = 45, fineRadius = 3, stripRows = 32 } = options;
  const { width: w, height: h } = region.box;
  const read = rowReaders(region);
  // The coarse pass only needs smooth colour averages: it runs at a quarter of the resolution
  // (same reach in pixels of the photo) and is upsampled, which halves the cost of the whole estimate.
  const scale = Math.min(w, h) >= 64 * COARSE_DOWNSCALE ? COARSE_DOWNSCALE : 1;
  const lw = Math.max(1, Math.round(w / scale)),
    lh = Math.max(1, Math.round(h / scale));
  const down = new BilinearRows(w, h, lw, lh);
  const downsample = (fill: RowFill) => {
    const plane = new Float32Array(lw * lh);
    const sourceRow = cachedRows(w, fill);
    for (let y = 0; y < lh; y++) down.row(y, sourceRow, plane.subarray(y * lw, (y + 1) * lw));
    return plane;
  };
  const smallAlpha = downsample(read.alpha);
  const coarseR = Math.max(1, Math.round(coarseRadius / scale));
  const smallBlurredAlpha = boxMean(smallAlpha, lw, lh, coarseR);
  const coarse = CHANNELS.map((c) => {
    const small = downsample(read.channel[c]!);
    return fuseChannel(small, small, small, smallAlpha, smallBlurredAlpha, lw, lh, coarseR);
  });
  const fine = new FineBlocks(region, new BilinearRows(lw, lh, w, h), lw, coarse, fineRadius, Math.max(1, Math.min(h, stripRows)));
  for (let y0 = 0; y0 < h; y0 += fine.rows) {
    const y1 = Math.min(h, y0 + fine.rows);
    for (const [a, b] of fine.runs(y0, y1)) fine.estimate(y0, y1, a, b, write);
  }
}

const COARSE_DOWNSCALE = 4;
const CHANNELS = [0, 1, 2] as const;
/** Runs of semi-transparent columns closer than this (beyond the two window reaches) share one block. */
const RUN_GAP_PX = 16;

/** Fills `out` with row `y` of a plane. */
type RowFill = (y: number, out: Float32Array) => void;

/** Photo levels 0..255 as toPlanar reads them (float32 of v/255), and alpha levels as alpha/255 rounds. */
const COLOUR_LEVEL = Float64Array.from({ length: 256 }, (_, v) => Math.fround(v * (1 / 255)));
const ALPHA_LEVEL = Float64Array.from({ length: 256 }, (_, v) => Math.fround(v / 255));

/**
 * The fine pass, one block (rows of a strip, a run of columns) at a time, over buffers reused by
 * every block: alpha, its blur, and per channel the alpha-weighted coarse foreground and background
 * and their blurs. The weighted planes are formed straight from the upsampled coarse rows.
 */
class FineBlocks {
  readonly rows: number;
  private readonly w: number;
  private readonly h: number;
  private readonly alpha: Float32Array;
  private readonly blurredAlpha: Float32Array;
  private readonly weighted: Float32Array;
  private readonly blurredF: Float32Array;
  private readonly blurredB: Float32Array;
  private readonly boxScratch: Float32Array;
  private readonly upRow: Float32Array;
  private readonly out: [Float32Array, Float32Array, Float32Array];
  private readonly needed: Uint8Array;

  constructor(
    private readonly region: EdgeRegion,
    private readonly up: BilinearRows,
    private readonly lw: number,
    private readonly coarse: { foreground: Float32Array; background: Float32Array }[],
    private readonly radius: number,
    rows: number,
  ) {
    this.rows = rows;
    this.w = region.box.width;
    this.h = region.box.height;
    const capacity = (rows + 2 * radius) * this.w;
    const plane = () => new Float32Array(capacity);
    this.alpha = plane();
    this.blurredAlpha = plane();
    this.weighted = plane();
    this.blurredF = plane();
    this.blurredB = plane();
    this.boxScratch = plane();
    this.upRow = new Float32Array(this.w);
    this.out = [new Float32Array(rows * this.w), new Float32Array(rows * this.w), new Float32Array(rows * this.w)];
    this.needed = new Uint8Array(this.w);
  }

  /** Column runs [a, b) holding every semi-transparent pixel of rows y0..y1, nearby runs merged. */
  runs(y0: number, y1: number): [number, number][] {
    const { alpha, stride, box } = this.region;
    const needed = this.needed;
    needed.fill(0);
    for (let y = y0; y < y1; y++) {
      const start = (box.y + y) * stride + box.x;
      for (let x = 0; x < this.w; x++) {
        const a = alpha[start + x]!;
        if (a !== 0 && a !== 255) needed[x] = 1;
      }
    }
    const runs: [number, number][] = [];
    const gap = 2 * this.radius + RUN_GAP_PX;
    for (let x = 0; x < this.w; x++) {
      if (!needed[x]) continue;
      let end = x + 1;
      while (end < this.w && needed[end]) end++;
      const last = runs[runs.length - 1];
      if (last && x - last[1] <= gap) last[1] = end;
      else runs.push([x, end]);
      x = end;
    }
    return runs;
  }

  /** Estimates rows y0..y1, columns a..b, and hands each row of it to `write`. */
  estimate(y0: number, y1: number, a: number, b: number, write: ForegroundRun): void {
    const { radius, region } = this;
    const { rgb, alpha: alphaBytes, stride, box } = region;
    // The block reaches one window past what it reports, or to the box's border, so the box means
    // at reported pixels count exactly the pixels the whole box would.
    const top = Math.max(0, y0 - radius),
      bottom = Math.min(this.h, y1 + radius);
    const lo = Math.max(0, a - radius),
      hi = Math.min(this.w, b + radius);
    const bw = hi - lo,
      bh = bottom - top;
    const { alpha, blurredAlpha, weighted, blurredF, blurredB, boxScratch } = this;
    for (let y = top; y < bottom; y++) {
      const from = (box.y + y) * stride + box.x + lo;
      const o = (y - top) * bw;
      for (let x = 0; x < bw; x++) alpha[o + x] = ALPHA_LEVEL[alphaBytes[from + x]!]!;
    }
    boxMean(alpha, bw, bh, radius, blurredAlpha, boxScratch);
    const runWidth = b - a;
    for (let c = 0; c < 3; c++) {
      const { foreground, background } = this.coarse[c]!;
      this.weigh(foreground, top, bottom, lo, hi, false);
      boxMean(weighted, bw, bh, radius, blurredF, boxScratch);
      this.weigh(background, top, bottom, lo, hi, true);
      boxMean(weighted, bw, bh, radius, blurredB, boxScratch);
      const out = this.out[c]!;
      for (let y = y0; y < y1; y++) {
        const o = (y - top) * bw + (a - lo);
        const photo = ((box.y + y) * stride + box.x + a) * 3 + c;
        const to = (y - y0) * runWidth;
        for (let x = 0; x < runWidth; x++) {
          out[to + x] = blend(COLOUR_LEVEL[rgb[photo + x * 3]!]!, alpha[o + x]!, blurredAlpha[o + x]!, blurredF[o + x]!, blurredB[o + x]!);
        }
      }
    }
    const [r, g, bl] = this.out;
    for (let y = y0; y < y1; y++) {
      const from = (y - y0) * runWidth,
        to = from + runWidth;
      write(y, a, r.subarray(from, to), g.subarray(from, to), bl.subarray(from, to));
    }
  }

  /** `weighted` over the block: the upsampled coarse plane times alpha (or times 1 − alpha). */
  private weigh(plane: Float32Array, top: number, bottom: number, lo: number, hi: number, complement: boolean): void {
    const { alpha, weighted, upRow, lw } = this;
    const bw = hi - lo;
    const sourceRow = (sy: number) => plane.subarray(sy * lw, (sy + 1) * lw);
    for (let y = top; y < bottom; y++) {
      this.up.row(y, sourceRow, upRow, lo, hi);
      const o = (y - top) * bw;
      if (complement) for (let x = 0; x < bw; x++) weighted[o + x] = upRow[x]! * (1 - alpha[o + x]!);
      else for (let x = 0; x < bw; x++) weighted[o + x] = upRow[x]! * alpha[o + x]!;
    }
  }
}

/** The region's alpha and colour channels as rows of floats in 0..1 (the values toPlanar gives). */
function rowReaders({ rgb, alpha, stride, box }: EdgeRegion) {
  const k = 1 / 255;
  const channel =
    (c: number): RowFill =>
    (y, out) => {
      const start = ((box.y + y) * stride + box.x) * 3 + c;
      for (let x = 0; x < box.width; x++) out[x] = rgb[start + x * 3]! * k;
    };
  const alphaRow: RowFill = (y, out) => {
    const start = (box.y + y) * stride + box.x;
    for (let x = 0; x < box.width; x++) out[x] = alpha[start + x]! / 255;
  };
  return { alpha: alphaRow, channel: CHANNELS.map(channel) };
}

/**
 * Row lookup for a resize, which asks for two source rows at a time: keeps two rows filled, and a
 * miss refills the one not handed out last, so the pair a resize holds stays valid.
 */
function cachedRows(width: number, fill: RowFill): (y: number) => Float32Array {
  const slots = [new Float32Array(width), new Float32Array(width)];
  const filled = [-1, -1];
  let last = 0;
  return (y) => {
    const hit = filled.indexOf(y);
    last = hit >= 0 ? hit : 1 - last;
    if (hit < 0) {
      fill(y, slots[last]!);
      filled[last] = y;
    }
    return slots[last]!;
  };
}

/** One channel of blur fusion: the foreground estimate and the blurred background it used. */
function fuseChannel(
  I: Float32Array,
  F: Float32Array,
  B: Float32Array,
  alpha: Float32Array,
  blurredAlpha: Float32Array,
  w: number,
  h: number,
  radius: number,
) {
  const n = w * h;
  const weighted = new Float32Array(n);
  for (let i = 0; i < n; i++) weighted[i] = F[i]! * alpha[i]!;
  const blurredF = boxMean(weighted, w, h, radius);
  for (let i = 0; i < n; i++) weighted[i] = B[i]! * (1 - alpha[i]!);
  const blurredB = boxMean(weighted, w, h, radius);
  const outF = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const ba = blurredAlpha[i]!;
    outF[i] = blend(I[i]!, alpha[i]!, ba, blurredF[i]!, blurredB[i]!);
    blurredB[i] = blurredB[i]! / (1 - ba + 1e-5);
  }
  return { foreground: outF, background: blurredB };
}

/**
 * Blur fusion at one pixel: photo colour `photo`, alpha `a`, blurred alpha `ba`, and the blurs of
 * the alpha-weighted foreground (F·α) and background (B·(1 − α)). Returns F, clamped to 0..1.
 */
function blend(photo: number, a: number, ba: number, blurredF: number, blurredB: number): number {
  const meanF = blurredF / (ba + 1e-5);
  const meanB = blurredB / (1 - ba + 1e-5);
  const v = meanF + a * (photo - a * meanF - (1 - a) * meanB);
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
