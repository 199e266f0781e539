/**
 * The subscription quota cap: how many removals a quota day allows for one tier. decidePayment asks
 * it before a removal, and the usage counter's conditional upsert (core's quota) refuses to count
 * past the same numbers, so the check and the write cannot disagree.
 */
import type { SubscriptionSnapshot, UsageToday } from "./decision.ts";
import type { TierName } from "./tiers.ts";

/** The caps a removal of one tier must stay under: all tiers together, and the professional tier's own where the plan sets one. */
export interface QuotaCaps {
  removals: number;
  /** null: this tier has no separate cap. */
  professional: number | null;
}

export function quotaCaps(subscription: Pick<SubscriptionSnapshot, "dailyQuota" | "professionalDailyQuota">, tier: TierName): QuotaCaps {
  return { removals: subscription.dailyQuota, professional: tier === "professional" ? subscription.professionalDailyQuota : null };
}

/** Whether one more removal fits under the caps, given what the day has used. */
export function fitsUnderQuota(caps: QuotaCaps, used: UsageToday): boolean {
  return used.removals < caps.removals && (caps.professional === null || used.professional < caps.professional);
}
