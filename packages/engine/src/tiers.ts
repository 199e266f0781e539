/**
 * The four quality tiers, each a pipeline definition. Prices live in the billing domain; what a
 * tier buys lives here, and the eval report (`pnpm eval`) shows that each step is measurably better.
 */
import { TIER_NAMES, type TierName } from "@bgr/domain/tiers";
import type { BandMattingOptions } from "./matte/band-matting.ts";
import type { CleanupOptions } from "./matte/subject-cleanup.ts";
import type { ViewFusion } from "./matte/view-fusion.ts";

// The list of tiers is the product vocabulary (domain); what each one runs is defined here.
export { TIER_NAMES, type TierName };

/** A tier as it runs: its steps and the one model the engine chose for it at start. */
export interface TierPipeline {
  model: string;
  /**
   * How the photo (or the subject's box) is resized to the model's square input: "bilinear", two taps
   * per axis with no antialiasing prefilter, as the model's training code resized its images; or
   * "lanczos3", libvips' antialiased resize.
   */
  modelInput: "bilinear" | "lanczos3";
  /** Also predict the mirrored image and fuse the two views (test-time augmentation); null: one view. */
  flip: ViewFusion | null;
  /**
   * How the model's square low-resolution matte becomes a full-resolution one:
   * plain bilinear resampling, or a colour guided filter with the photo as guide
   * (radius in pixels of the working resolution, eps the edge threshold on 0..1 colour variance).
   */
  refine: { kind: "bilinear" } | { kind: "guided"; radius: number; eps: number };
  /**
   * Confidence clamp: alpha below `low` becomes 0, above `high` becomes 1, linear between. Removes the
   * faint haze the model leaves on background objects (worst where two augmented views disagree).
   */
  clamp: { low: number; high: number } | null;
  /**
   * Closed-form matting in the uncertain band around the edge (hair, fur, soft edges), in passes run
   * in order, coarse to fine (see refineBand). Empty: the refined matte is final.
   */
  bandMatting: readonly BandMattingOptions[];
  /** Drop faint specks and ghosts apart from the subject (see cleanSubject). */
  cleanup: CleanupOptions | null;
  /**
   * Second inference on the subject's bounding box at higher effective resolution, fused into the
   * first where the first is uncertain (its confident interior and background are kept).
   */
  subjectPass: boolean;
  /** Re-estimate colour of semi-transparent pixels so no background colour bleeds into edges. */
  decontaminate: boolean;
}

/**
 * A tier as defined: its steps and the models it may use, best first. The engine uses the first
 * one installed (see resolveTier), so pulling a model pack upgrades the tiers that list it.
 */
export type TierDefinition = Omit<TierPipeline, "model"> & { models: readonly string[] };

// Settings chosen by `pnpm eval` on the dev set (see the README's quality table).
const edgeAware = { kind: "guided", radius: 4, eps: 1e-3 } as const;
const clamp = { low: 0.1, high: 0.9 };
// Closed-form matting of wide uncertain regions (a head of hair, a see-through sweater) at a low
// resolution, where a few hundred iterations reach across the region and colour, more than the
// model, decides. Thin uncertain rims of crisp edges are left to the guided filter: solving them
// softened hard objects' edges on the GrabCut images.
const wideBand: BandMattingOptions = {
  uncertainLow: 0.02,
  uncertainHigh: 0.98,
  growPx: 6,
  minWidthPx: 5,
  epsilon: 1e-6,
  priorWeight: 0.02,
  maxIterations: 400,
  tolerance: 1e-4,
  timeBudgetMs: 3000,
  maxSolvePixels: 100_000,
  maxBandPixels: 100_000,
};
// Industry's matte is already sharpened by its subject pass; there a narrower uncertain range scored better.
const wideBandIndustry: BandMattingOptions = { ...wideBand, uncertainLow: 0.05, uncertainHigh: 0.95 };
// Views within 0.2 are averaged; elsewhere a part either view saw at ≥ 0.8 is kept and a fainter one
// dropped. Against the plain mean (dev set, professional): MAE 0.0807 → 0.0770, alphamatting.com
// 0.0862 → 0.0799, GrabCut 0.0357 → 0.0335 (ghosts such as gc-grave's second gravestone cleared).
const fuseViews: ViewFusion = { disagreement: 0.2, strong: 0.8 };
const cleanup: CleanupOptions = { threshold: 0.02, minShare: 0.05, keepAlpha: 0.9 };

export const TIERS: Record<TierName, TierDefinition> = {
  basic: {
    models: ["isnet-int8-qdq"],
    // The resize ISNet was trained on; against lanczos3 (dev set, the 32-conv int8 file): MAE 0.0843 → 0.0839, boundary F 0.7278 → 0.7342.
    modelInput: "bilinear",
    flip: null,
    refine: { kind: "bilinear" },
    // No clamp: it took basic's MAE to 0.0807, past standard's 0.0813, at a higher MSE (0.0663 → 0.0688);
    // the clamp is one of the steps standard's price buys.
    clamp: null,
    bandMatting: [],
    cleanup: null,
    subjectPass: false,
    decontaminate: false,
  },
  standard: {
    models: ["isnet-fp16"],
    modelInput: "lanczos3",
    flip: null,
    refine: edgeAware,
    clamp,
    bandMatting: [],
    cleanup: null,
    subjectPass: false,
    decontaminate: false,
  },
  professional: {
    models: ["birefnet-general-lite", "isnet-fp16"],
    modelInput: "lanczos3",
    flip: fuseViews,
    refine: edgeAware,
    clamp,
    bandMatting: [wideBand],
    cleanup: null,
    subjectPass: false,
    decontaminate: true,
  },
  industry: {
    models: ["birefnet-general", "ben2-base", "birefnet-general-lite", "isnet-fp16"],
    modelInput: "lanczos3",
    flip: fuseViews,
    refine: edgeAware,
    clamp,
    bandMatting: [wideBandIndustry],
    cleanup,
    subjectPass: true,
    decontaminate: true,
  },
};

export function isTierName(value: unknown): value is TierName {
  return typeof value === "string" && (TIER_NAMES as readonly string[]).includes(value);
}

/**
 * The tier with the first of its models that `isInstalled`. With none installed it keeps the last
 * (the built-in fallback), whose first use then fails with a message saying what to install.
 */
export function resolveTier(definition: TierDefinition, isInstalled: (modelId: string) => boolean): TierPipeline {
  const { models, ...steps } = definition;
  return { ...steps, model: models.find(isInstalled) ?? models[models.length - 1]! };
}
