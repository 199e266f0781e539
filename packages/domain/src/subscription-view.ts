/**
 * The spec 3.2.4 `GET /subscription` answer, built from stored facts. Pure, so both shapes (with and
 * without a subscription) and the quota arithmetic are unit-tested without a server.
 */
import type { TierName } from "./tiers.ts";
import type { PaymentPurpose } from "./billing.ts";
import { subscriptionIsActive, type SubscriptionSnapshot, type SubscriptionStatus, type UsageToday } from "./decision.ts";
import { availablePlans, type AvailablePlan, type PlanName } from "./plans.ts";
import { quotaDay } from "./quota-day.ts";

/** A subscription row as the view needs it. */
export interface SubscriptionFacts extends SubscriptionSnapshot {
  monthlyPrice: number;
  currency: string;
  subscribedAt: Date;
  currentPeriodEnd: Date;
  nextBillingDate: Date | null;
  autoRenew: boolean;
  cancelledAt: Date | null;
}

/** A payment the user still owes or is completing: shown so a client can point them at it. */
export interface PendingPaymentView {
  paymentId: string;
  purpose: PaymentPurpose;
  plan: PlanName;
  amount: number;
  currency: string;
  provider: string;
  /** Where to pay, when the provider has a hosted page; null for the built-in (manual) provider. */
  checkoutUrl: string | null;
  createdAt: string;
}

export interface QuotaCounter {
  limit: number;
  used: number;
  remaining: number;
}

export interface ActiveSubscriptionView {
  hasSubscription: true;
  plan: PlanName;
  /** active, grace_period (renewal unpaid, access until billing.expiresAt) or cancelled (access until billing.expiresAt). */
  status: SubscriptionStatus;
  pricing: { monthlyPrice: number; currency: string };
  quotas: {
    daily: QuotaCounter & { resetsAt: string };
    /** Present only on plans that cap professional removals separately (pro). */
    professionalTier?: QuotaCounter;
  };
  allowedTiers: TierName[];
  billing: {
    /** Null once cancelled: nothing more will be charged. */
    nextBillingDate: string | null;
    subscribedAt: string;
    currentPeriodEnd: string;
    /** The subscription pays for removals until this instant (exclusive). */
    expiresAt: string;
    autoRenew: boolean;
    cancelledAt: string | null;
  };
  pendingPayment: PendingPaymentView | null;
}

export interface NoSubscriptionView {
  hasSubscription: false;
  availablePlans: AvailablePlan[];
  /** A subscription created and awaiting its first payment, if any. */
  pendingPayment: PendingPaymentView | null;
}

export type SubscriptionView = ActiveSubscriptionView | NoSubscriptionView;

export interface SubscriptionViewInput {
  subscription: SubscriptionFacts | null;
  /** Usage in the quota day containing `now`. */
  usageToday: UsageToday;
  pendingPayment: PendingPaymentView | null;
  now: Date;
  timeZone: string;
}

export function subscriptionView(input: SubscriptionViewInput): SubscriptionView {
  const { subscription, usageToday, pendingPayment, now, timeZone } = input;
  if (subscription === null || !subscriptionIsActive(subscription, now)) {
    return { hasSubscription: false, availablePlans: availablePlans(), pendingPayment };
  }
  const counter = (limit: number, used: number): QuotaCounter => ({ limit, used, remaining: Math.max(0, limit - used) });
  const quotas: ActiveSubscriptionView["quotas"] = {
    daily: { ...counter(subscription.dailyQuota, usageToday.removals), resetsAt: quotaDay(now, timeZone).resetsAt.toISOString() },
  };
  if (subscription.professionalDailyQuota !== null) {
    quotas.professionalTier = counter(subscription.professionalDailyQuota, usageToday.professional);
  }
  return {
    hasSubscription: true,
    plan: subscription.plan,
    status: subscription.status,
    pricing: { monthlyPrice: subscription.monthlyPrice, currency: subscription.currency },
    quotas,
    allowedTiers: [...subscription.allowedTiers],
    billing: {
      nextBillingDate: subscription.autoRenew ? (subscription.nextBillingDate?.toISOString() ?? null) : null,
      subscribedAt: subscription.subscribedAt.toISOString(),
      currentPeriodEnd: subscription.currentPeriodEnd.toISOString(),
      expiresAt: subscription.expiresAt.toISOString(),
      autoRenew: subscription.autoRenew,
      cancelledAt: subscription.cancelledAt?.toISOString() ?? null,
    },
    pendingPayment,
  };
}
