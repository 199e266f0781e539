import sharp from "sharp";
import { solveBand, type BandSolveOptions } from "./closed-form.ts";
import { dilate, erode } from "./morphology.ts";
import { toPlanar } from "./planar.ts";
import { BilinearRows, resizeBilinear } from "./resample.ts";

/** How a tier re-solves alpha around the subject's edge (see refineBand). */
export interface BandMattingOptions extends BandSolveOptions {
  /** Alpha strictly between these is uncertain: the band is those pixels, grown by `growPx`. */
  uncertainLow: number;
  uncertainHigh: number;
  /** Band growth in pixels at 1 MP (scaled with the image's linear size), at least 1. */
  growPx: number;
  /**
   * Uncertain regions thinner than this many pixels (at the solve resolution) are left out: a coarse
   * pass is for wide regions (hair, a see-through garment); crisp object edges belong to a fine pass.
   */
  minWidthPx: number;
  /** Most pixels the solve may see; larger images are solved at a lower resolution. */
  maxSolvePixels: number;
  /** Most band pixels; a wider band (plants, fur over the whole frame) lowers the resolution further. */
  maxBandPixels: number;
}

export interface BandMattingStats {
  bandPixels: number;
  solveScale: number;
  iterations: number;
  stop: string;
}

/**
 * Trimap from the current matte (confident subject, confident background, an uncertain band), then
 * closed-form matting in the band. On large photos or wide bands it solves at a lower resolution
 * and adds the upsampled correction to the full-resolution matte, so detail the guided filter
 * recovered stays. Bounded in pixels, iterations and time: it can lose nothing but the refinement.
 * Refines `alpha` in place and returns it.
 */
export async function refineBand(
  rgb: Uint8Array,
  width: number,
  height: number,
  alpha: Float32Array,
  options: BandMattingOptions,
): Promise<{ alpha: Float32Array; stats: BandMattingStats }> {
  let scale = Math.min(1, Math.sqrt(options.maxSolvePixels / (width * height)));
  let band = bandAt(alpha, width, height, scale, options);
  const count = countSet(band.mask);
  if (count > options.maxBandPixels) {
    scale *= Math.sqrt(options.maxBandPixels / count);
    band = bandAt(alpha, width, height, scale, options);
  }
  const { w, h, prior, mask } = band;
  const bandPixels = countSet(mask);
  const stats = { bandPixels, solveScale: scale, iterations: 0, stop: "empty" };
  if (bandPixels === 0 || w < 3 || h < 3) return { alpha, stats };

  const small =
    w === width && h === height
      ? rgb
      : await sharp(rgb, { raw: { width, height, channels: 3 } })
          .resize(w, h, { fit: "fill" })
          .raw()
          .toBuffer();
  const solved = solveBand(toPlanar(small, w, h, 3), prior, mask, options);
  Object.assign(stats, { iterations: solved.iterations, stop: solved.stop });
  if (w === width && h === height) {
    alpha.set(solved.alpha);
    return { alpha, stats };
  }

  // The correction is upsampled one row at a time and added in place: no full-resolution plane
  // besides the matte itself (at 12 MP the upsampled correction and a new matte were 96 MB).
  const correction = new Float32Array(w * h);
  for (let i = 0; i < correction.length; i++) correction[i] = solved.alpha[i]! - prior[i]!;
  const up = new BilinearRows(w, h, width, height);
  const correctionRow = (sy: number) => correction.subarray(sy * w, (sy + 1) * w);
  const row = new Float32Array(width);
  for (let y = 0; y < height; y++) {
    up.row(y, correctionRow, row);
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const v = alpha[o + x]! + row[x]!;
      alpha[o + x] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return { alpha, stats };
}

/** The matte at the solve scale and its band: uncertain pixels grown in proportion to image size. */
function bandAt(alpha: Float32Array, width: number, height: number, scale: number, options: BandMattingOptions) {
  const w = Math.max(1, Math.round(width * scale)),
    h = Math.max(1, Math.round(height * scale));
  const prior = w === width && h === height ? alpha : resizeBilinear(alpha, width, height, w, h);
  const uncertain = new Uint8Array(w * h);
  for (let i = 0; i < uncertain.length; i++) uncertain[i] = prior[i]! > options.uncertainLow && prior[i]! < options.uncertainHigh ? 1 : 0;
  const grow = Math.max(1, Math.round(options.growPx * Math.sqrt((w * h) / 1e6)));
  const core = options.minWidthPx > 1 ? erode(uncertain, w, h, Math.floor(options.minWidthPx / 2)) : uncertain;
  return { w, h, prior, mask: dilate(core, w, h, grow + Math.floor(options.minWidthPx / 2)) };
}

function countSet(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}
