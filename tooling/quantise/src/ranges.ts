import type { TensorStats } from "./calibrate.ts";

import type { Range } from "@bgr/engine/quantise";

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
  if (method.kind === "percentile" || signed) {
    const p = method.kind === "percentile" ? method.p : 0.9999;
    return { lo: signed ? Math.min(0, quantile(stats.sample, 1 - p)) : 0, hi: Math.max(quantile(stats.sample, p), 1e-6) };
  }
  return { lo: 0, hi: Math.min(stats.max, mseClip(stats) * (method.scale ?? 1)) };
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
