import type { Tier } from "../api/trpc.ts";
import { capitalise } from "./format.ts";

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
  if (!subscription || !subscription.hasSubscription) return { covered: false, note: "Paid with credits" };
  const plan = `${capitalise(subscription.plan)} plan`;
  if (!subscription.allowedTiers.includes(tier)) return { covered: false, note: `Not in your ${plan}: paid with credits` };
  const daily = subscription.quotas.daily;
  if (daily.remaining <= 0) return { covered: false, note: `${plan} quota used up today: paid with credits` };
  const professional = subscription.quotas.professionalTier;
  if (tier === "professional" && professional) {
    if (professional.remaining <= 0) return { covered: false, note: `Professional quota used up today: paid with credits` };
    return { covered: true, note: `Covered by your ${plan} (${Math.min(professional.remaining, daily.remaining)} left today)` };
  }
  return { covered: true, note: `Covered by your ${plan} (${daily.remaining} left today)` };
}
