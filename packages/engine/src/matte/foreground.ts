import { boxMean } from "./box-filter.ts";
import { resizeBilinear } from "./resample.ts";
import type { PlanarRgb } from "./guided-filter.ts";

/**
 * Foreground colour estimation by blur fusion (Forte & Pitié, "Approximate Fast Foreground Colour
 * Estimation", ICIP 2021): a coarse pass (large window) then a fine pass (small window).
 * Semi-transparent edge pixels get the subject's colour, not the old background's, so hair over a
 * green wall does not stay green on a new background. Returns planar RGB in 0..1.
 */
export function estimateForeground(image: PlanarRgb, alpha: Float32Array, coarseRadius = 45, fineRadius = 3): PlanarRgb {
  const { width: w, height: h } = image;
  // The coarse pass only needs smooth colour averages: it runs at a quarter of the resolution
  // (same reach in pixels of the photo) and is upsampled, which halves the cost of the whole estimate.
  const scale = Math.min(w, h) >= 64 * COARSE_DOWNSCALE ? COARSE_DOWNSCALE : 1;
  const lw = Math.max(1, Math.round(w / scale)), lh = Math.max(1, Math.round(h / scale));
  const down = (plane: Float32Array) => resizeBilinear(plane, w, h, lw, lh);
  const up = (plane: Float32Array) => resizeBilinear(plane, lw, lh, w, h);
  const small: PlanarRgb = { r: down(image.r), g: down(image.g), b: down(image.b), width: lw, height: lh };
  const smallAlpha = down(alpha);
  const coarseR = Math.max(1, Math.round(coarseRadius / scale));
  const smallBlurredAlpha = boxMean(smallAlpha, lw, lh, coarseR);
  // The fine pass runs one channel at a time and keeps no background estimate, so only two
  // upsampled full-resolution planes are alive at once (at 12 MP each plane is 48 MB).
  const blurredAlpha = boxMean(alpha, w, h, fineRadius);
  const foreground = { width: w, height: h } as PlanarRgb;
  for (const channel of CHANNELS) {
    const coarse = fuseChannel(small[channel], small[channel], small[channel], smallAlpha, smallBlurredAlpha, lw, lh, coarseR);
    foreground[channel] = fuseChannel(image[channel], up(coarse.foreground), up(coarse.background), alpha, blurredAlpha, w, h, fineRadius).foreground;
  }
  return foreground;
}

const COARSE_DOWNSCALE = 4;
const CHANNELS = ["r", "g", "b"] as const;

/** One channel of blur fusion: the foreground estimate and the blurred background it used. */
function fuseChannel(I: Float32Array, F: Float32Array, B: Float32Array, alpha: Float32Array, blurredAlpha: Float32Array, w: number, h: number, radius: number) {
  const n = w * h;
  const weighted = new Float32Array(n);
  for (let i = 0; i < n; i++) weighted[i] = F[i]! * alpha[i]!;
  const blurredF = boxMean(weighted, w, h, radius);
  for (let i = 0; i < n; i++) weighted[i] = B[i]! * (1 - alpha[i]!);
  const blurredB = boxMean(weighted, w, h, radius);
  const outF = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = alpha[i]!, ba = blurredAlpha[i]!;
    const meanF = blurredF[i]! / (ba + 1e-5);
    const meanB = blurredB[i]! / (1 - ba + 1e-5);
    blurredB[i] = meanB;
    const v = meanF + a * (I[i]! - a * meanF - (1 - a) * meanB);
    outF[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return { foreground: outF, background: blurredB };
}
