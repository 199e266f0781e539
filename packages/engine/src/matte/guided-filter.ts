import { boxMean } from "./box-filter.ts";
import { bilinearTaps } from "./resample.ts";

/** Planar RGB in 0..1: r, g, b planes of width*height each. */
export interface PlanarRgb {
  r: Float32Array;
  g: Float32Array;
  b: Float32Array;
  width: number;
  height: number;
}

/** Linear coefficients of the colour guided filter: q = ar*R + ag*G + ab*B + b. */
export interface GuidedCoefficients {
  ar: Float32Array;
  ag: Float32Array;
  ab: Float32Array;
  b: Float32Array;
  width: number;
  height: number;
}

/**
 * Colour guided filter coefficients (He, Sun, Tang, "Guided Image Filtering", 2013), already
 * averaged over each pixel's windows. The filtered matte follows the guide's edges where the
 * guide explains the matte, and smooths it where it does not.
 */
export function guidedCoefficients(guide: PlanarRgb, p: Float32Array, radius: number, eps: number): GuidedCoefficients {
  const { width: w, height: h } = guide;
  const n = w * h;
  // One buffer for the products and one for the box filter's row pass, shared by all 17 means.
  const scratch = new Float32Array(n);
  const mean = (x: Float32Array) => boxMean(x, w, h, radius, new Float32Array(n), scratch);
  const products = new Float32Array(n);
  const meanOfProduct = (x: Float32Array, y: Float32Array) => {
    for (let i = 0; i < n; i++) products[i] = x[i]! * y[i]!;
    return mean(products);
  };
  const { r, g, b } = guide;
  const mR = mean(r),
    mG = mean(g),
    mB = mean(b),
    mP = mean(p);
  const mRP = meanOfProduct(r, p),
    mGP = meanOfProduct(g, p),
    mBP = meanOfProduct(b, p);
  const mRR = meanOfProduct(r, r),
    mRG = meanOfProduct(r, g),
    mRB = meanOfProduct(r, b);
  const mGG = meanOfProduct(g, g),
    mGB = meanOfProduct(g, b),
    mBB = meanOfProduct(b, b);

  const ar = new Float32Array(n),
    ag = new Float32Array(n),
    ab = new Float32Array(n),
    bb = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const muR = mR[i]!,
      muG = mG[i]!,
      muB = mB[i]!,
      muP = mP[i]!;
    const cR = mRP[i]! - muR * muP,
      cG = mGP[i]! - muG * muP,
      cB = mBP[i]! - muB * muP;
    // Covariance of the guide in the window, regularised by eps on the diagonal.
    const s11 = mRR[i]! - muR * muR + eps,
      s12 = mRG[i]! - muR * muG,
      s13 = mRB[i]! - muR * muB;
    const s22 = mGG[i]! - muG * muG + eps,
      s23 = mGB[i]! - muG * muB,
      s33 = mBB[i]! - muB * muB + eps;
    // Inverse of the symmetric 3x3 matrix by cofactors.
    const i11 = s22 * s33 - s23 * s23,
      i12 = s13 * s23 - s12 * s33,
      i13 = s12 * s23 - s13 * s22;
    const i22 = s11 * s33 - s13 * s13,
      i23 = s12 * s13 - s11 * s23,
      i33 = s11 * s22 - s12 * s12;
    const det = s11 * i11 + s12 * i12 + s13 * i13;
    const aR = (i11 * cR + i12 * cG + i13 * cB) / det;
    const aG = (i12 * cR + i22 * cG + i23 * cB) / det;
    const aB = (i13 * cR + i23 * cG + i33 * cB) / det;
    ar[i] = aR;
    ag[i] = aG;
    ab[i] = aB;
    bb[i] = muP - aR * muR - aG * muG - aB * muB;
  }
  return { ar: mean(ar), ag: mean(ag), ab: mean(ab), b: mean(bb), width: w, height: h };
}

/** Applies coefficients to a guide of the same size: the classic guided filter output, clamped to 0..1. */
export function applyCoefficients(c: GuidedCoefficients, guide: PlanarRgb): Float32Array {
  const n = c.width * c.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const q = c.ar[i]! * guide.r[i]! + c.ag[i]! * guide.g[i]! + c.ab[i]! * guide.b[i]! + c.b[i]!;
    out[i] = q < 0 ? 0 : q > 1 ? 1 : q;
  }
  return out;
}

/**
 * Fast guided upsampling (He & Sun 2015): coefficients computed at the low resolution, bilinearly
 * upsampled, then applied to the full-resolution guide, so the matte gains the photo's own edges.
 * Streams row by row over the 8-bit photo: no full-resolution float guide or coefficient planes are
 * ever allocated (at 12 MP those were 7 planes, 336 MB), only the output. Values equal applying
 * `resizeBilinear`-upsampled coefficient planes to `toPlanar(rgb)`, bit for bit.
 *
 * Each low-resolution row is interpolated across to the full width once (in double precision, as
 * resizeBilinear computes it) and kept while the output rows between it and the next use it, so a
 * pixel costs one vertical blend per plane.
 */
export function guidedUpsample(c: GuidedCoefficients, rgb: Uint8Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const { width: sw, height: sh } = c;
  const planes = [c.ar, c.ag, c.ab, c.b];
  const widen = new WidenedRows(planes, sw, width);
  const level = guideLevels();
  for (let y = 0; y < height; y++) {
    const pos = Math.min(Math.max((y + 0.5) * (sh / height) - 0.5, 0), sh - 1);
    const top = Math.floor(pos);
    const fy = pos - top;
    const [ar0, ag0, ab0, b0] = widen.rows(top);
    const [ar1, ag1, ab1, b1] = widen.rows(Math.min(top + 1, sh - 1));
    const o = y * width;
    for (let x = 0, j = o * 3; x < width; x++, j += 3) {
      // Each coefficient rounded to float32, as the upsampled plane stored it.
      const ar = Math.fround(ar0![x]! + (ar1![x]! - ar0![x]!) * fy);
      const ag = Math.fround(ag0![x]! + (ag1![x]! - ag0![x]!) * fy);
      const ab = Math.fround(ab0![x]! + (ab1![x]! - ab0![x]!) * fy);
      const b = Math.fround(b0![x]! + (b1![x]! - b0![x]!) * fy);
      const q = ar * level[rgb[j]!]! + ag * level[rgb[j + 1]!]! + ab * level[rgb[j + 2]!]! + b;
      out[o + x] = q < 0 ? 0 : q > 1 ? 1 : q;
    }
  }
  return out;
}

/** The guide's 8-bit levels as toPlanar stores them (float32 of v/255). */
function guideLevels(): Float64Array {
  const k = 1 / 255;
  return Float64Array.from({ length: 256 }, (_, v) => Math.fround(v * k));
}

/**
 * Rows of several low-resolution planes, each interpolated across to `width` columns, for the two
 * source rows a bilinear resize reads at a time. Output rows only move down, so a miss refills the
 * slot of the row not asked for last.
 */
class WidenedRows {
  private readonly slots: Float64Array[][];
  private readonly filled = [-1, -1];
  private last = 0;
  private readonly columns: ReturnType<typeof bilinearTaps>;

  constructor(
    private readonly planes: Float32Array[],
    private readonly sw: number,
    private readonly width: number,
  ) {
    this.columns = bilinearTaps(sw, width);
    this.slots = [0, 1].map(() => planes.map(() => new Float64Array(width)));
  }

  rows(sy: number): Float64Array[] {
    const hit = this.filled.indexOf(sy);
    this.last = hit >= 0 ? hit : 1 - this.last;
    const slot = this.slots[this.last]!;
    if (hit < 0) {
      const { left, right, weight } = this.columns;
      const base = sy * this.sw;
      for (let p = 0; p < this.planes.length; p++) {
        const plane = this.planes[p]!,
          row = slot[p]!;
        for (let x = 0; x < this.width; x++) {
          const a = plane[base + left[x]!]!;
          row[x] = a + (plane[base + right[x]!]! - a) * weight[x]!;
        }
      }
      this.filled[this.last] = sy;
    }
    return slot;
  }
}
