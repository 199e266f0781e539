/**
 * The four quality tiers: the product's one list of them. The engine defines what each runs, pricing
 * what each costs, the database's CHECK constraints and the API schemas are generated from this list.
 */
export const TIER_NAMES = ["basic", "standard", "professional", "industry"] as const;
export type TierName = (typeof TIER_NAMES)[number];
