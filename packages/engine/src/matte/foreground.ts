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

/** Receives the estimate row by row, in order: row `y` of the box, planar RGB in 0..1 (views valid during the call). */
export type ForegroundRows = (y: number, r: Float32Array, g: Float32Array, b: Float32Array) => void;

/**
 * Foreground colour estimation by blur fusion (Forte & Pitié, "Approximate Fast Foreground Colour
 * Estimation", ICIP 2021): a coarse pass (large window) then a fine pass (small window).
 * Semi-transparent edge pixels get the subject's colour, not the old background's, so hair over a
 * green wall does not stay green on a new background.
 *
 * Memory: the coarse pass holds only quarter-resolution planes, and the fine pass runs in strips
 * of rows read straight from the 8-bit photo, so no full-resolution float plane exists (at 12 MP
 * the whole-plane version held about 12 of them, 48 MB each). Any strip height gives the same values.
 */
export function estimateForeground(region: EdgeRegion, write: ForegroundRows, options: ForegroundOptions = {}): void {
  const { coarseRadius = 45, fineRadius = 3, stripRows = 128 } = options;
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

  const up = new BilinearRows(lw, lh, w, h);
  const lowRow = (plane: Float32Array) => (y: number) => plane.subarray(y * lw, (y + 1) * lw);
  const upsampled = (plane: Float32Array): RowFill => {
    const sourceRow = lowRow(plane);
    return (y, out) => up.row(y, sourceRow, out);
  };
  const rows = Math.max(1, Math.min(h, stripRows));
  for (let y0 = 0; y0 < h; y0 += rows) {
    const y1 = Math.min(h, y0 + rows);
    // The fine window reaches `fineRadius` rows past the strip: those rows are read, not written.
    const top = Math.max(0, y0 - fineRadius),
      bottom = Math.min(h, y1 + fineRadius);
    const strip = (fill: RowFill) => stripOf(fill, w, top, bottom);
    const alpha = strip(read.alpha);
    const blurredAlpha = boxMean(alpha, w, bottom - top, fineRadius);
    const [r, g, b] = CHANNELS.map(
      (c) =>
        fuseChannel(
          strip(read.channel[c]!),
          strip(upsampled(coarse[c]!.foreground)),
          strip(upsampled(coarse[c]!.background)),
          alpha,
          blurredAlpha,
          w,
          bottom - top,
          fineRadius,
        ).foreground,
    ) as [Float32Array, Float32Array, Float32Array];
    for (let y = y0; y < y1; y++) {
      const from = (y - top) * w,
        to = from + w;
      write(y, r.subarray(from, to), g.subarray(from, to), b.subarray(from, to));
    }
  }
}

const COARSE_DOWNSCALE = 4;
const CHANNELS = [0, 1, 2] as const;

/** Fills `out` with row `y` of a plane. */
type RowFill = (y: number, out: Float32Array) => void;

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

/** Rows `top`..`bottom` (exclusive) of a plane `width` wide, as one strip. */
function stripOf(fill: RowFill, width: number, top: number, bottom: number): Float32Array {
  const strip = new Float32Array((bottom - top) * width);
  for (let y = top; y < bottom; y++) fill(y, strip.subarray((y - top) * width, (y - top + 1) * width));
  return strip;
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
    const a = alpha[i]!,
      ba = blurredAlpha[i]!;
    const meanF = blurredF[i]! / (ba + 1e-5);
    const meanB = blurredB[i]! / (1 - ba + 1e-5);
    blurredB[i] = meanB;
    const v = meanF + a * (I[i]! - a * meanF - (1 - a) * meanB);
    outF[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return { foreground: outF, background: blurredB };
}
