import type { PackModelDefinition } from "./model.ts";

/**
 * Stronger, commercially usable weights an operator can pull (`bgr models pull <id>`); nothing here
 * downloads at run time. URLs and checksums are the ones upstream publishes: rembg's session files
 * (`rembg/sessions/birefnet_*.py`, md5) for BiRefNet, the Hugging Face file record (sha256) for BEN2.
 * Pre- and post-processing follow the same files: BiRefNet takes ImageNet mean/std and returns
 * logits (sigmoid, then min-max); BEN2 takes plain 0..1 RGB and returns a map that is only min-max
 * stretched. Non-commercial weights (BRIA RMBG-1.4/2.0, CC BY-NC) are deliberately not listed; an
 * operator licensed for them can add one through a models.json manifest.
 */
const REMBG_RELEASES = "https://github.com/danielgatis/rembg/releases/download/v0.0.0";

const birefnet = {
  licence: "MIT",
  inputSize: 1024,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  outputIsProbability: false,
  minMaxNormalise: true,
} as const;

export const MODEL_PACKS: readonly PackModelDefinition[] = [
  {
    id: "birefnet-general",
    description: "BiRefNet general (Swin-L, epoch 244): DIS5K-VD MAE 0.038 vs ISNet 0.074; slow on a CPU",
    source: {
      kind: "pack",
      url: `${REMBG_RELEASES}/BiRefNet-general-epoch_244.onnx`,
      checksum: { algorithm: "md5", hex: "7a35a0141cbbc80de11d9c9a28f52697" },
      sizeBytes: 973_000_000,
    },
    ...birefnet,
    mean: [...birefnet.mean],
    std: [...birefnet.std],
  },
  {
    id: "birefnet-general-lite",
    description: "BiRefNet general lite (Swin-T, epoch 232): most of BiRefNet's edge quality at a fifth of the size",
    source: {
      kind: "pack",
      url: `${REMBG_RELEASES}/BiRefNet-general-bb_swin_v1_tiny-epoch_232.onnx`,
      checksum: { algorithm: "md5", hex: "4fab47adc4ff364be1713e97b7e66334" },
      sizeBytes: 224_000_000,
    },
    ...birefnet,
    mean: [...birefnet.mean],
    std: [...birefnet.std],
  },
  {
    id: "birefnet-portrait",
    description: "BiRefNet portrait (Swin-L, epoch 150): people and hair; use it for a tier that serves portraits",
    source: {
      kind: "pack",
      url: `${REMBG_RELEASES}/BiRefNet-portrait-epoch_150.onnx`,
      checksum: { algorithm: "md5", hex: "c3a64a6abf20250d090cd055f12a3b67" },
      sizeBytes: 973_000_000,
    },
    ...birefnet,
    mean: [...birefnet.mean],
    std: [...birefnet.std],
  },
  {
    id: "ben2-base",
    description: "BEN2 base (PramaLLC, MIT; the refiner is sold separately): DIS5K-VD MAE 0.031-0.033",
    licence: "MIT",
    source: {
      kind: "pack",
      url: "https://huggingface.co/PramaLLC/BEN2/resolve/main/BEN2_Base.onnx",
      checksum: { algorithm: "sha256", hex: "22cea62108ff53b7ccc20f7a008bf30494228d84b1687f29ecbe76936a998101" },
      sizeBytes: 222_932_053,
    },
    inputSize: 1024,
    mean: [0, 0, 0],
    std: [1, 1, 1],
    outputIsProbability: true,
    minMaxNormalise: true,
  },
];
