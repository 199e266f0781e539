/**
 * The four quality tiers, each a pipeline definition. Prices live in the billing domain; what a
 * tier buys lives here, and the eval report (`pnpm eval`) shows that each step is measurably better.
 */
export const TIER_NAMES = ["basic", "standard", "professional", "industry"] as const;
export type TierName = (typeof TIER_NAMES)[number];

export interface TierPipeline {
  model: string;
  /** Average the prediction with that of the mirrored image (test-time augmentation). */
  flipAugment: boolean;
  /**
   * How the model's square low-resolution matte becomes a full-resolution one:
   * plain bilinear resampling, or a colour guided filter with the photo as guide
   * (radius in pixels of the working resolution, eps the edge threshold on 0..1 colour variance).
   */
  refine: { kind: "bilinear" } | { kind: "guided"; radius: number; eps: number };
  /** Second inference on the subject's bounding box at higher effective resolution, fused with the first. */
  subjectPass: boolean;
  /** Re-estimate colour of semi-transparent pixels so no background colour bleeds into edges. */
  decontaminate: boolean;
}

export const TIERS: Record<TierName, TierPipeline> = {
  basic: { model: "isnet-fp16", flipAugment: false, refine: { kind: "bilinear" }, subjectPass: false, decontaminate: false },
  standard: { model: "isnet-fp32", flipAugment: false, refine: { kind: "guided", radius: 2, eps: 1e-3 }, subjectPass: false, decontaminate: false },
  professional: { model: "isnet-fp32", flipAugment: true, refine: { kind: "guided", radius: 2, eps: 1e-3 }, subjectPass: false, decontaminate: true },
  industry: { model: "isnet-fp32", flipAugment: true, refine: { kind: "guided", radius: 2, eps: 1e-3 }, subjectPass: true, decontaminate: true },
};

export function isTierName(value: unknown): value is TierName {
  return typeof value === "string" && (TIER_NAMES as readonly string[]).includes(value);
}
