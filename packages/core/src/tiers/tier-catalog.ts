import { TIER_CREDITS, tierNames, type TierName } from "@bgr/domain";

/** What a tier costs and what does its work on this deployment right now. */
export interface TierListing {
  tier: TierName;
  credits: number;
  /** The local model the engine chose for the tier at start (the first installed of its list). */
  model: string;
  /** `provider:model` when a remote service makes this tier's mattes (the local model is then the fallback). */
  remote: string | null;
}

/** The tier listing clients show: prices from the billing domain, models as resolved at start. */
export class TierCatalog {
  constructor(
    private readonly deps: {
      localModels: Readonly<Record<TierName, string>>;
      remote?: Partial<Record<TierName, string>>;
    },
  ) {}

  list(): TierListing[] {
    return tierNames().map((tier) => ({
      tier,
      credits: TIER_CREDITS[tier],
      model: this.deps.localModels[tier],
      remote: this.deps.remote?.[tier] ?? null,
    }));
  }
}
