import type { TensorStats } from "./calibrate.ts";

import type { Range } from "../../../packages/engine/src/models/quantise/qdq.ts";

export type RangeMethod = { kind: "max" } | { kind: "percentile"; p: number } | { kind: "mse"; scale?: number };

function quantile(sorted: Float32Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))]!;
}

/**
 * The clipping range of one tensor for 8-bit quantisation. Non-negative tensors (after ReLU, the
 * concatenations and sums of them) keep 0 as their lower bound, so their zero point is 0.
 */
export function chooseRange(stats: TensorStats, method: RangeMethod): Range {
  const signed = stats.min < 0;
  if (method.kind === "max") return { lo: Math.min(0, stats.min), hi: Math.max(0, stats.max) };
  if (method.kind === "percentile") {
    const p = method.p;
    return { lo: signed ? Math.min(0, quantile(stats.sample, 1 - p)) : 0, hi: Math.max(quantile(stats.sample, p), 1e-6) };
  }
  if (signed) return mseClipSigned(stats);
  return { lo: 0, hi: Math.min(stats.max, mseClip(stats) * (method.scale ?? 1)) };
}

/** First index of the sorted sample whose value exceeds v. */
function upperBound(x: Float32Array, v: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The (lo, hi) clip of a signed tensor that minimises the expected squared error of uniform 8-bit
 * quantisation on the sample: clipping error on both tails plus rounding noise (step²/12) between.
 */
function mseClipSigned(stats: TensorStats): Range {
  const x = stats.sample;
  const n = x.length;
  const prefix = new Float64Array(n + 1);
  const prefix2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    prefix[i + 1] = prefix[i]! + x[i]!;
    prefix2[i + 1] = prefix2[i]! + x[i]! * x[i]!;
  }
  // Sum of (x - c)² over sample indices [a, b).
  const squares = (a: number, b: number, c: number) => prefix2[b]! - prefix2[a]! - 2 * c * (prefix[b]! - prefix[a]!) + (b - a) * c * c;
  let best: Range = { lo: stats.min, hi: stats.max };
  let bestError = Infinity;
  for (let a = 1; a <= 100; a++) {
    const lo = (stats.min * a) / 100;
    const below = upperBound(x, lo);
    for (let b = 1; b <= 100; b++) {
      const hi = (stats.max * b) / 100;
      const above = upperBound(x, hi);
      const step = (hi - lo) / 255;
      const error = squares(0, below, lo) + squares(above, n, hi) + (above - below) * ((step * step) / 12);
      if (error < bestError) {
        bestError = error;
        best = { lo, hi };
      }
    }
  }
  return best;
}

/**
 * The upper clip of a non-negative tensor that minimises the expected squared error of uniform
 * 8-bit quantisation on the sample: clipping error above it plus rounding noise (step²/12) below.
 */
function mseClip(stats: TensorStats): number {
  const x = stats.sample;
  const n = x.length;
  // Suffix sums of x and x² for the clipped tail.
  const suffix = new Float64Array(n + 1);
  const suffix2 = new Float64Array(n + 1);
  for (let i = n - 1; i >= 0; i--) {
    suffix[i] = suffix[i + 1]! + x[i]!;
    suffix2[i] = suffix2[i + 1]! + x[i]! * x[i]!;
  }
  let best = stats.max;
  let bestError = Infinity;
  let index = 0;
  for (let k = 1; k <= 400; k++) {
    const c = (stats.max * k) / 400;
    while (index < n && x[index]! <= c) index++;
    const tail = n - index;
    const clipError = suffix2[index]! - 2 * c * suffix[index]! + tail * c * c;
    const step = c / 255;
    const error = clipError + index * ((step * step) / 12);
    if (error < bestError) {
      bestError = error;
      best = c;
    }
  }
  return Math.max(best, 1e-6);
}
