/**
 * How two views of the same image (the photo and its mirror, test-time augmentation) become one
 * prediction. Where they agree within `disagreement` they are averaged. Where they do not, one view
 * saw something the other did not: a part the model saw confidently in either view (at least
 * `strong`) is kept, and a faint one (a see-through ghost of a second object, background haze) is
 * dropped. Averaging there instead left half-opaque ghosts and half-missing parts, wrong both ways.
 * `disagreement` 1 is the plain mean.
 */
export interface ViewFusion {
  disagreement: number;
  strong: number;
}

/** Fuses `mirrored` into `prediction` in place (both already in the same orientation). */
export function fuseViews(prediction: Float32Array, mirrored: Float32Array, { disagreement, strong }: ViewFusion): Float32Array {
  for (let i = 0; i < prediction.length; i++) {
    const a = prediction[i]!,
      b = mirrored[i]!;
    const high = a > b ? a : b;
    prediction[i] = Math.abs(a - b) <= disagreement ? (a + b) / 2 : high >= strong ? high : a + b - high;
  }
  return prediction;
}
