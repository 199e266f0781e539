/**
 * How two views of the same image (the photo and its mirror, test-time augmentation) become one
 * prediction. `mean` averages them. `confident` averages where they agree and, where they differ
 * by more than `disagreement`, keeps the view closer to 0 or 1: a half-way average of "subject"
 * and "background" is a see-through ghost that is wrong for both, and the model is better
 * calibrated where it is sure.
 */
export type ViewFusion =
  | { kind: "mean" }
  | { kind: "confident"; disagreement: number }
  | { kind: "anchored"; disagreement: number }
  | { kind: "weighted"; power: number };

/** Fuses `mirrored` into `prediction` in place (both already in the same orientation). */
export function fuseViews(prediction: Float32Array, mirrored: Float32Array, fusion: ViewFusion): Float32Array {
  for (let i = 0; i < prediction.length; i++) {
    const a = prediction[i]!, b = mirrored[i]!;
    switch (fusion.kind) {
      case "mean":
        prediction[i] = (a + b) / 2;
        break;
      case "confident":
        prediction[i] = Math.abs(a - b) <= fusion.disagreement ? (a + b) / 2 : Math.abs(2 * a - 1) >= Math.abs(2 * b - 1) ? a : b;
        break;
      case "anchored":
        prediction[i] = Math.abs(a - b) <= fusion.disagreement ? (a + b) / 2 : a;
        break;
      case "weighted": {
        const wa = Math.abs(2 * a - 1) ** fusion.power + 1e-3, wb = Math.abs(2 * b - 1) ** fusion.power + 1e-3;
        prediction[i] = (wa * a + wb * b) / (wa + wb);
        break;
      }
    }
  }
  return prediction;
}
