/**
 * Subscription billing periods and grace, as pure date arithmetic: the services pass `now` in and
 * store what comes out, so renewals and expiry are testable without a clock or a database.
 */
import { subscriptionIsActive, type SubscriptionStatus } from "./decision.ts";

const DAY_MS = 86_400_000;

/** What a payment buys: a subscription's first period, its next period, or a credit pack. */
export const PAYMENT_PURPOSES = ["subscribe", "renewal", "credits"] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];

export const DEFAULT_SUBSCRIPTION_GRACE_DAYS = 3;

/**
 * `months` calendar months after `anchor`, at the same UTC time of day. A day the target month lacks
 * is clamped to its last day (Jan 31 + 1 month = Feb 28/29), as card networks and gateways do.
 */
export function addMonths(anchor: Date, months: number): Date {
  const year = anchor.getUTCFullYear();
  const month = anchor.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(anchor.getTime());
  result.setUTCFullYear(year, month, Math.min(anchor.getUTCDate(), lastDay));
  return result;
}

/**
 * The end of the period after the one ending at `currentEnd`, counted from `anchor` (when the
 * subscription started) rather than from `currentEnd`, so a Jan 31 subscription renews on Feb 28
 * and then on Mar 31 instead of drifting to the 28th for good.
 */
export function nextPeriodEnd(anchor: Date, currentEnd: Date): Date {
  let months = (currentEnd.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (currentEnd.getUTCMonth() - anchor.getUTCMonth());
  let next = addMonths(anchor, Math.max(1, months + 1));
  while (next.getTime() <= currentEnd.getTime()) next = addMonths(anchor, ++months + 1);
  return next;
}

/**
 * When access ends for a subscription whose renewal is not paid: `graceDays` after the paid period,
 * but never fewer than `graceDays` from `now`, so a renewal run that comes late (scheduler down)
 * does not cut the customer off without the grace they were promised.
 */
export function graceEndsAt(periodEnd: Date, now: Date, graceDays: number): Date {
  if (!Number.isInteger(graceDays) || graceDays < 0) throw new RangeError(`graceDays must be a whole number ≥ 0, got ${graceDays}.`);
  return new Date(Math.max(periodEnd.getTime(), now.getTime()) + graceDays * DAY_MS);
}

/** The billing facts of a subscription row that a confirmed payment changes. */
export interface BillingPeriod {
  status: SubscriptionStatus;
  /** When the current run of the subscription started: the anchor of its billing day. */
  subscribedAt: Date;
  currentPeriodEnd: Date;
  expiresAt: Date;
}

/**
 * The period a payment confirmed at `paidAt` buys. A subscription still running (active, in grace, or
 * cancelled with access left) gets the next period after its current one, so grace days are not
 * given twice; anything else (pending, expired, a payment arriving after access ended) starts a fresh
 * month at `paidAt`.
 */
export function periodAfterPayment(current: BillingPeriod, paidAt: Date): PaidPeriod {
  if (subscriptionIsActive(current, paidAt)) {
    const end = nextPeriodEnd(current.subscribedAt, current.currentPeriodEnd);
    if (end.getTime() > paidAt.getTime()) return { subscribedAt: current.subscribedAt, currentPeriodEnd: end, fresh: false };
  }
  return { subscribedAt: paidAt, currentPeriodEnd: addMonths(paidAt, 1), fresh: true };
}

export interface PaidPeriod {
  subscribedAt: Date;
  currentPeriodEnd: Date;
  /** True when the payment starts a new run (the plan paid for applies) rather than extending one. */
  fresh: boolean;
}
