/** Where a model's ONNX bytes come from. Nothing is ever downloaded. */
export type ModelSource =
  /** Chunks listed in a `resources.json` inside an installed npm package (data files only, no code). */
  | { kind: "npm-chunks"; packageName: string; resourceKey: string }
  /** A file on disk, e.g. an operator-supplied export listed in a manifest. */
  | { kind: "file"; path: string };

export interface ModelDefinition {
  id: string;
  description: string;
  source: ModelSource;
  /** sha256 of the assembled ONNX file; bytes that do not match are refused. */
  sha256: string;
  /** Square input side in pixels; the image is resized to inputSize x inputSize. */
  inputSize: number;
  inputName: string;
  outputName: string;
  /** Per-channel normalisation applied to RGB scaled to 0..1: (x - mean) / std. */
  mean: [number, number, number];
  std: [number, number, number];
  /** Whether the output is already a 0..1 probability (otherwise a sigmoid is applied). */
  outputIsProbability: boolean;
}
