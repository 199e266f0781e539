/**
 * Subscription plans as data (spec 3.2.4, 4.1.3). A subscription row copies its plan's quotas when it
 * starts, so changing a plan here affects new subscriptions only.
 */
import type { TierName } from "./tiers.ts";

export const PLAN_NAMES = ["starter", "pro"] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

export interface SubscriptionPlan {
  name: PlanName;
  /** Whole rupiah per month. */
  monthlyPrice: number;
  currency: "IDR";
  /** Removals per quota day, all tiers together. */
  dailyQuota: number;
  allowedTiers: readonly TierName[];
  /** Professional removals per quota day, counted inside dailyQuota too; null when not capped separately. */
  professionalDailyQuota: number | null;
}

/**
 * Tiers any plan may cover. Industry costs the most compute per image (flip augmentation plus a second
 * inference on the subject crop), so a flat monthly price cannot carry it: it is always paid in credits,
 * even if a subscription row says otherwise.
 */
export const SUBSCRIBABLE_TIERS: readonly TierName[] = Object.freeze(["basic", "standard", "professional"]);

export const PLANS: Readonly<Record<PlanName, Readonly<SubscriptionPlan>>> = Object.freeze({
  starter: Object.freeze({
    name: "starter",
    monthlyPrice: 99_000,
    currency: "IDR",
    dailyQuota: 50,
    allowedTiers: Object.freeze(["basic", "standard"] as const),
    professionalDailyQuota: null,
  }),
  pro: Object.freeze({
    name: "pro",
    monthlyPrice: 299_000,
    currency: "IDR",
    dailyQuota: 200,
    allowedTiers: Object.freeze(["basic", "standard", "professional"] as const),
    professionalDailyQuota: 50,
  }),
});

export function isPlanName(value: unknown): value is PlanName {
  return typeof value === "string" && (PLAN_NAMES as readonly string[]).includes(value);
}

/** One entry of `availablePlans` in the spec 3.2.4 "no subscription" response. */
export interface AvailablePlan {
  name: PlanName;
  price: number;
  dailyQuota: number;
  allowedTiers: TierName[];
  /** Present only on plans with a separate professional cap, as in the spec example. */
  professionalQuota?: number;
}

export function availablePlans(): AvailablePlan[] {
  return PLAN_NAMES.map((name) => {
    const plan = PLANS[name];
    const entry: AvailablePlan = {
      name,
      price: plan.monthlyPrice,
      dailyQuota: plan.dailyQuota,
      allowedTiers: [...plan.allowedTiers],
    };
    if (plan.professionalDailyQuota !== null) entry.professionalQuota = plan.professionalDailyQuota;
    return entry;
  });
}
