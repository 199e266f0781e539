import { dilate } from "@bgr/engine";

/**
 * Alpha matte quality metrics against ground truth. Alphas are 0..1, row-major, same size.
 * Pixels marked in `ignore` (unlabeled ground truth) count nowhere.
 */
export interface MatteScores {
  /** Mean absolute error, 0..1. */
  mae: number;
  /** Sum of absolute differences, in thousands (the matting literature's unit). */
  sad: number;
  /** Mean squared error. */
  mse: number;
  /** Intersection over union of the masks thresholded at 0.5. */
  iou: number;
  /** F-measure of boundary pixels matched within `BOUNDARY_TOLERANCE_PX`. */
  boundaryF: number;
}

export const BOUNDARY_TOLERANCE_PX = 3;

export function scoreMatte(
  predicted: Float32Array,
  truth: Float32Array,
  width: number,
  height: number,
  ignore: Uint8Array | null = null,
): MatteScores {
  const n = width * height;
  if (predicted.length !== n || truth.length !== n) throw new Error("Prediction and ground truth differ in size.");
  let abs = 0,
    sq = 0,
    counted = 0,
    inter = 0,
    union = 0;
  for (let i = 0; i < n; i++) {
    if (ignore?.[i]) continue;
    const d = predicted[i]! - truth[i]!;
    abs += Math.abs(d);
    sq += d * d;
    counted++;
    const p = predicted[i]! >= 0.5,
      t = truth[i]! >= 0.5;
    if (p && t) inter++;
    if (p || t) union++;
  }
  return {
    mae: counted ? abs / counted : 0,
    sad: abs / 1000,
    mse: counted ? sq / counted : 0,
    iou: union ? inter / union : 1,
    boundaryF: boundaryF(predicted, truth, width, height, ignore),
  };
}

/**
 * Boundary pixels: pixels with a 4-neighbour on the other side of 0.5. In ground truth, an
 * unlabeled band (ignore) is where the true edge lies, so its pixels are boundary and edges
 * touching it are not counted twice.
 */
export function boundaryMap(alpha: Float32Array, width: number, height: number, ignore: Uint8Array | null = null): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (ignore?.[i]) {
        out[i] = 1;
        continue;
      }
      const inside = alpha[i]! >= 0.5;
      const differs = (j: number) => !ignore?.[j] && alpha[j]! >= 0.5 !== inside;
      if (
        (x > 0 && differs(i - 1)) ||
        (x < width - 1 && differs(i + 1)) ||
        (y > 0 && differs(i - width)) ||
        (y < height - 1 && differs(i + width))
      )
        out[i] = 1;
    }
  }
  return out;
}

export function boundaryF(
  predicted: Float32Array,
  truth: Float32Array,
  width: number,
  height: number,
  ignore: Uint8Array | null = null,
  tolerance = BOUNDARY_TOLERANCE_PX,
): number {
  const predictedEdge = boundaryMap(predicted, width, height);
  const truthEdge = boundaryMap(truth, width, height, ignore);
  const nearTruth = dilate(truthEdge, width, height, tolerance);
  const nearPredicted = dilate(predictedEdge, width, height, tolerance);
  let predictedCount = 0,
    precise = 0,
    truthCount = 0,
    recalled = 0;
  for (let i = 0; i < predictedEdge.length; i++) {
    if (predictedEdge[i]) {
      predictedCount++;
      if (nearTruth[i]) precise++;
    }
    if (truthEdge[i]) {
      truthCount++;
      if (nearPredicted[i]) recalled++;
    }
  }
  if (predictedCount === 0 && truthCount === 0) return 1;
  if (predictedCount === 0 || truthCount === 0) return 0;
  const precision = precise / predictedCount,
    recall = recalled / truthCount;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}
