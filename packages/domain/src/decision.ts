/**
 * Who pays for a removal: the spec 8.1 decision tree as one pure function. The caller loads the
 * subscription and today's usage (for the current quotaDay), asks here, then charges or counts
 * usage inside its own transaction.
 */
import type { TierName } from "./tiers.ts";
import { assertBatchImageCount } from "./limits.ts";
import type { PlanName } from "./plans.ts";
import { SUBSCRIBABLE_TIERS } from "./plans.ts";
import { priceBatch, priceSingle } from "./pricing.ts";
import { fitsUnderQuota, quotaCaps } from "./quota-cap.ts";

/** `pending`: created, awaiting its first payment; it pays for nothing until the payment is confirmed. */
export const SUBSCRIPTION_STATUSES = ["pending", "active", "grace_period", "cancelled", "expired"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** The subscription facts the decision needs, as stored on the subscription row. */
export interface SubscriptionSnapshot {
  status: SubscriptionStatus;
  plan: PlanName;
  allowedTiers: readonly TierName[];
  dailyQuota: number;
  /** Professional removals per quota day, inside dailyQuota; null when not capped separately. */
  professionalDailyQuota: number | null;
  /** End of the paid period (for grace_period: end of the grace). */
  expiresAt: Date;
}

/** Removals already paid by the subscription in the current quota day. */
export interface UsageToday {
  /** All tiers together. */
  removals: number;
  /** Professional tier only (also counted in `removals`). */
  professional: number;
}

export interface SingleRemovalRequest {
  kind: "single";
  tier: TierName;
  subscription: SubscriptionSnapshot | null;
  usageToday: UsageToday;
  now: Date;
}

export interface BatchRemovalRequest {
  kind: "batch";
  tier: TierName;
  imageCount: number;
  // Accepted so callers can pass one request shape for both kinds; batches ignore them.
  subscription?: SubscriptionSnapshot | null;
  usageToday?: UsageToday;
  now?: Date;
}

export type PaymentRequest = SingleRemovalRequest | BatchRemovalRequest;

export type CreditsReason = "batch" | "no_subscription" | "tier_not_in_plan" | "quota_exhausted" | "subscription_inactive";

export type PaymentDecision = { pay: "subscription" } | { pay: "credits"; credits: number; reason: CreditsReason };

/**
 * Whether a subscription pays for anything at `now`. Cancelling keeps access until the paid period
 * ends, and grace_period keeps it until expiresAt (which the billing code sets to the end of the grace).
 */
export function subscriptionIsActive(subscription: Pick<SubscriptionSnapshot, "status" | "expiresAt">, now: Date): boolean {
  return STATUSES_WITH_ACCESS.includes(subscription.status) && subscription.expiresAt.getTime() > now.getTime();
}

const STATUSES_WITH_ACCESS: readonly SubscriptionStatus[] = ["active", "grace_period", "cancelled"];

export function decidePayment(request: PaymentRequest): PaymentDecision {
  if (request.kind === "batch") {
    // Spec 8.1: batches are never covered by a subscription, and are charged upfront at the volume price.
    assertBatchImageCount(request.imageCount);
    return { pay: "credits", credits: priceBatch(request.tier, request.imageCount).finalTotal, reason: "batch" };
  }

  const { tier, subscription, usageToday, now } = request;
  const credits = (reason: CreditsReason): PaymentDecision => ({ pay: "credits", credits: priceSingle(tier), reason });

  if (subscription === null) return credits("no_subscription");
  if (!subscriptionIsActive(subscription, now)) return credits("subscription_inactive");
  if (!SUBSCRIBABLE_TIERS.includes(tier) || !subscription.allowedTiers.includes(tier)) return credits("tier_not_in_plan");
  if (!fitsUnderQuota(quotaCaps(subscription, tier), usageToday)) return credits("quota_exhausted");
  return { pay: "subscription" };
}
