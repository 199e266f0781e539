import type { Tier } from "../api/trpc.ts";
import { i18n } from "../i18n/i18n.ts";
import { capitalise, formatNumber } from "./format.ts";

export interface Coverage {
  covered: boolean;
  note: string;
}

/** The parts of GET /subscription (spec 3.2.4) that decide coverage. */
export type CoverageFacts =
  | { hasSubscription: false }
  | {
      hasSubscription: true;
      plan: string;
      allowedTiers: readonly string[];
      quotas: { daily: { remaining: number }; professionalTier?: { remaining: number } };
    };

/** Whether the user's plan pays for one removal of `tier` today, and why (shown next to each tier). */
export function planCoverage(subscription: CoverageFacts | null | undefined, tier: Tier): Coverage {
  if (!subscription || !subscription.hasSubscription) return { covered: false, note: i18n.t("coverage.credits") };
  const plan = i18n.t("coverage.plan", { plan: capitalise(subscription.plan) });
  if (!subscription.allowedTiers.includes(tier)) return { covered: false, note: i18n.t("coverage.notInPlan", { plan }) };
  const daily = subscription.quotas.daily;
  if (daily.remaining <= 0) return { covered: false, note: i18n.t("coverage.planUsedUp", { plan }) };
  const professional = subscription.quotas.professionalTier;
  if (tier === "professional" && professional) {
    if (professional.remaining <= 0) return { covered: false, note: i18n.t("coverage.professionalUsedUp") };
    return {
      covered: true,
      note: i18n.t("coverage.covered", { plan, left: formatNumber(Math.min(professional.remaining, daily.remaining)) }),
    };
  }
  return { covered: true, note: i18n.t("coverage.covered", { plan, left: formatNumber(daily.remaining) }) };
}
