import type { PlanarRgb } from "./guided-filter.ts";

/**
 * Closed-form matting (Levin, Lischinski & Weiss, "A Closed-Form Solution to Natural Image
 * Matting", PAMI 2008) restricted to an unknown band. In every 3x3 window alpha is assumed to be
 * an affine function of colour; the matting Laplacian L measures how far alpha is from that.
 *
 * Minimised: αᵀLα + Σ_band γ·c_i·(α_i − α̂_i)², with α fixed to α̂ outside the band, where α̂ is the
 * model's matte and c_i its confidence there. The prior keeps the solve near the model where the
 * colours cannot decide (similar subject and background) and makes the system well conditioned,
 * so Jacobi-preconditioned CG, started from α̂, converges in tens of iterations.
 *
 * L is never assembled: each product walks the windows that touch the band (see applyLaplacian).
 */
export interface BandSolveOptions {
  /** Regulariser of each window's colour covariance, on 0..1 colours (Levin's ε). */
  epsilon: number;
  /** Weight γ of the model's matte inside the band. */
  priorWeight: number;
  maxIterations: number;
  /** Stop when the preconditioned residual falls below this fraction of its start. */
  tolerance: number;
  /** Wall-clock budget; the iterate reached so far is kept (CG lowers the energy every step). */
  timeBudgetMs: number;
}

export interface BandSolveResult {
  alpha: Float32Array;
  iterations: number;
  /** `converged`, or why it stopped early. */
  stop: "converged" | "iterations" | "time" | "empty";
}

/**
 * Solves alpha at `band` pixels (1 = unknown) given `prior` everywhere. Only windows wholly inside
 * the image count, so border pixels are constrained by fewer of them. Returns a new array.
 */
export function solveBand(image: PlanarRgb, prior: Float32Array, band: Uint8Array, options: BandSolveOptions): BandSolveResult {
  const { width: w, height: h } = image;
  const alpha = Float32Array.from(prior);
  const unknown = bandIndices(band);
  if (unknown.length === 0) return { alpha, iterations: 0, stop: "empty" };
  const windows = buildWindows(image, band, options.epsilon);
  const m = unknown.length;

  // Diagonal of the band system, for the Jacobi preconditioner, and the prior's weights.
  const weight = new Float32Array(m);
  for (let u = 0; u < m; u++) {
    const confidence = Math.abs(2 * prior[unknown[u]!]! - 1);
    weight[u] = options.priorWeight * (0.05 + confidence);
  }
  const inverseDiagonal = laplacianDiagonal(image, windows, unknown, w);
  for (let u = 0; u < m; u++) inverseDiagonal[u] = 1 / (inverseDiagonal[u]! + weight[u]!);

  // CG on the correction d (zero outside the band): (L_bb + W) d = −(L α̂)_b, since α starts at α̂.
  const full = new Float32Array(w * h);
  const product = new Float32Array(w * h);
  const apply = (vector: Float32Array, out: Float32Array) => {
    for (let u = 0; u < m; u++) full[unknown[u]!] = vector[u]!;
    product.fill(0);
    applyLaplacian(image, windows, full, product);
    for (let u = 0; u < m; u++) out[u] = product[unknown[u]!]! + weight[u]! * vector[u]!;
  };
  applyLaplacian(image, windows, alpha, product);
  const residual = new Float32Array(m);
  for (let u = 0; u < m; u++) residual[u] = -product[unknown[u]!]!;

  const correction = new Float32Array(m);
  const z = new Float32Array(m),
    direction = new Float32Array(m),
    q = new Float32Array(m);
  for (let u = 0; u < m; u++) z[u] = residual[u]! * inverseDiagonal[u]!;
  direction.set(z);
  let rz = dot(residual, z);
  const target = Math.abs(rz) * options.tolerance * options.tolerance;
  const deadline = performance.now() + options.timeBudgetMs;
  let iterations = 0;
  let stop: BandSolveResult["stop"] = "iterations";
  while (iterations < options.maxIterations) {
    if (rz <= target) {
      stop = "converged";
      break;
    }
    if (performance.now() > deadline) {
      stop = "time";
      break;
    }
    apply(direction, q);
    const step = rz / dot(direction, q);
    if (!Number.isFinite(step)) break;
    for (let u = 0; u < m; u++) {
      correction[u]! += step * direction[u]!;
      residual[u]! -= step * q[u]!;
      z[u] = residual[u]! * inverseDiagonal[u]!;
    }
    const next = dot(residual, z);
    const beta = next / rz;
    rz = next;
    for (let u = 0; u < m; u++) direction[u] = z[u]! + beta * direction[u]!;
    iterations++;
  }
  for (let u = 0; u < m; u++) {
    const v = alpha[unknown[u]!]! + correction[u]!;
    alpha[unknown[u]!] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return { alpha, iterations, stop };
}

/** Band pixels, in row-major order. */
function bandIndices(band: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < band.length; i++) if (band[i]) count++;
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < band.length; i++) if (band[i]) out[k++] = i;
  return out;
}

/**
 * Every 3x3 window touching a band pixel: its centre, colour mean and the inverse of its
 * regularised colour covariance (symmetric, 6 values), kept in flat typed arrays.
 */
interface Windows {
  centre: Int32Array;
  mean: Float32Array;
  inverse: Float32Array;
}

function buildWindows(image: PlanarRgb, band: Uint8Array, epsilon: number): Windows {
  const { width: w, height: h, r, g, b } = image;
  const centres: number[] = [];
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (
        band[i - w - 1] ||
        band[i - w] ||
        band[i - w + 1] ||
        band[i - 1] ||
        band[i] ||
        band[i + 1] ||
        band[i + w - 1] ||
        band[i + w] ||
        band[i + w + 1]
      )
        centres.push(i);
    }
  }
  const count = centres.length;
  const mean = new Float32Array(count * 3),
    inverse = new Float32Array(count * 6);
  const offsets = [-w - 1, -w, -w + 1, -1, 0, 1, w - 1, w, w + 1];
  const reg = epsilon / 9;
  for (let k = 0; k < count; k++) {
    const c = centres[k]!;
    let sr = 0,
      sg = 0,
      sb = 0,
      rr = 0,
      rg = 0,
      rb = 0,
      gg = 0,
      gb = 0,
      bb = 0;
    for (const o of offsets) {
      const vr = r[c + o]!,
        vg = g[c + o]!,
        vb = b[c + o]!;
      sr += vr;
      sg += vg;
      sb += vb;
      rr += vr * vr;
      rg += vr * vg;
      rb += vr * vb;
      gg += vg * vg;
      gb += vg * vb;
      bb += vb * vb;
    }
    const mr = sr / 9,
      mg = sg / 9,
      mb = sb / 9;
    // Covariance + ε/|w|·I, inverted through its adjugate.
    const a = rr / 9 - mr * mr + reg,
      bq = rg / 9 - mr * mg,
      cq = rb / 9 - mr * mb;
    const d = gg / 9 - mg * mg + reg,
      e = gb / 9 - mg * mb,
      f = bb / 9 - mb * mb + reg;
    const i00 = d * f - e * e,
      i01 = cq * e - bq * f,
      i02 = bq * e - cq * d;
    const i11 = a * f - cq * cq,
      i12 = bq * cq - a * e,
      i22 = a * d - bq * bq;
    const det = a * i00 + bq * i01 + cq * i02;
    const s = 1 / det;
    mean[k * 3] = mr;
    mean[k * 3 + 1] = mg;
    mean[k * 3 + 2] = mb;
    inverse.set([i00 * s, i01 * s, i02 * s, i11 * s, i12 * s, i22 * s], k * 6);
  }
  return { centre: Int32Array.from(centres), mean, inverse };
}

/**
 * out = L·x, accumulated over the band's windows: for window k with mean μ and inverse Δ,
 * (L_k x)_i = x_i − mean(x) − (I_i − μ)ᵀ Δ · mean((I_j − μ) x_j). `out` must start zeroed; only
 * entries at band pixels are meaningful (windows not touching the band are left out).
 */
function applyLaplacian(image: PlanarRgb, windows: Windows, x: Float32Array, out: Float32Array): void {
  const { width: w, r, g, b } = image;
  const { centre, mean, inverse } = windows;
  const offsets = [-w - 1, -w, -w + 1, -1, 0, 1, w - 1, w, w + 1];
  for (let k = 0; k < centre.length; k++) {
    const c = centre[k]!;
    const mr = mean[k * 3]!,
      mg = mean[k * 3 + 1]!,
      mb = mean[k * 3 + 2]!;
    let sx = 0,
      vr = 0,
      vg = 0,
      vb = 0;
    for (let t = 0; t < 9; t++) {
      const j = c + offsets[t]!;
      const xj = x[j]!;
      sx += xj;
      vr += (r[j]! - mr) * xj;
      vg += (g[j]! - mg) * xj;
      vb += (b[j]! - mb) * xj;
    }
    sx /= 9;
    vr /= 9;
    vg /= 9;
    vb /= 9;
    const o = k * 6;
    const wr = inverse[o]! * vr + inverse[o + 1]! * vg + inverse[o + 2]! * vb;
    const wg = inverse[o + 1]! * vr + inverse[o + 3]! * vg + inverse[o + 4]! * vb;
    const wb = inverse[o + 2]! * vr + inverse[o + 4]! * vg + inverse[o + 5]! * vb;
    for (let t = 0; t < 9; t++) {
      const j = c + offsets[t]!;
      out[j]! += x[j]! - sx - ((r[j]! - mr) * wr + (g[j]! - mg) * wg + (b[j]! - mb) * wb);
    }
  }
}

/** L_ii at each band pixel: Σ over its windows of 1 − (1 + (I_i − μ)ᵀΔ(I_i − μ)) / 9. */
function laplacianDiagonal(image: PlanarRgb, windows: Windows, unknown: Int32Array, w: number): Float32Array {
  const { r, g, b } = image;
  const { centre, mean, inverse } = windows;
  const diagonal = new Float32Array(image.width * image.height);
  const offsets = [-w - 1, -w, -w + 1, -1, 0, 1, w - 1, w, w + 1];
  for (let k = 0; k < centre.length; k++) {
    const c = centre[k]!;
    const o = k * 6;
    for (const offset of offsets) {
      const j = c + offset;
      const dr = r[j]! - mean[k * 3]!,
        dg = g[j]! - mean[k * 3 + 1]!,
        db = b[j]! - mean[k * 3 + 2]!;
      const quad =
        dr * (inverse[o]! * dr + inverse[o + 1]! * dg + inverse[o + 2]! * db) +
        dg * (inverse[o + 1]! * dr + inverse[o + 3]! * dg + inverse[o + 4]! * db) +
        db * (inverse[o + 2]! * dr + inverse[o + 4]! * dg + inverse[o + 5]! * db);
      diagonal[j]! += 1 - (1 + quad) / 9;
    }
  }
  return Float32Array.from(unknown, (i) => diagonal[i]!);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
