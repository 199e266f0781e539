/**
 * The scheduled rules of subscriptions: when access has run out, and which periods get the
 * "renews or ends soon" mail.
 */
import type { SubscriptionStatus } from "./decision.ts";
import { RENEWAL_REMINDER_DAYS } from "./notifications.ts";

const DAY_MS = 86_400_000;

/** Statuses whose access can run out; the upkeep reads only these. */
export const EXPIRABLE_STATUSES = ["active", "grace_period", "cancelled"] as const satisfies readonly SubscriptionStatus[];

/**
 * Access ends at `expiresAt` for cancelled and grace-period subscriptions, and for active ones that
 * will not renew. An active one that renews is never expired here: the renewal moves it to
 * grace_period first, so a late scheduler never expires someone who was about to be charged.
 */
export function accessHasRunOut(subscription: { status: SubscriptionStatus; autoRenew: boolean; expiresAt: Date }, now: Date): boolean {
  if (subscription.expiresAt.getTime() > now.getTime()) return false;
  if (subscription.status === "cancelled" || subscription.status === "grace_period") return true;
  return subscription.status === "active" && !subscription.autoRenew;
}

/**
 * Periods ending in [from, until) get the reminder: RENEWAL_REMINDER_DAYS to one day more from now,
 * so a daily run reaches each period once and the user has at least that long to act.
 */
export function renewalReminderWindow(now: Date): { from: Date; until: Date } {
  return {
    from: new Date(now.getTime() + RENEWAL_REMINDER_DAYS * DAY_MS),
    until: new Date(now.getTime() + (RENEWAL_REMINDER_DAYS + 1) * DAY_MS),
  };
}
