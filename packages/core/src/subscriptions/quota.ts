/**
 * The daily subscription quota: the one module that changes usage counters. Every removal asks
 * `useQuotaOrDecideCredits` inside its own transaction (after `userRepository.lock`), so checking the
 * quota and using it are one atomic step; a failed subscription-paid removal gives its use back with
 * `returnQuota`, exactly once.
 */
import type { Executor, Removal, Subscription, Transaction } from "@bgr/db";
import {
  decidePayment,
  priceSingle,
  quotaCaps,
  quotaDay,
  type PaymentDecision,
  type SubscriptionSnapshot,
  type TierName,
} from "@bgr/domain";
import { removalRepository, type RemovalRepository } from "../removal/removal.repository.ts";
import { quotaRepository, type QuotaRepository } from "./quota.repository.ts";
import { subscriptionRepository, type SubscriptionRepository } from "./subscription.repository.ts";

export interface QuotaRequest {
  userId: string;
  tier: TierName;
  now: Date;
  /** QUOTA_TIMEZONE: the quota day starts at midnight there. */
  timeZone: string;
}

/** The rows quota decisions read and the counters they change. */
export interface QuotaRepositories {
  quota: QuotaRepository;
  subscriptions: SubscriptionRepository;
  removals: RemovalRepository;
}

/** The quota service over its repositories (the drizzle ones below; unit tests pass them in memory). */
export function createQuotaService(repositories: QuotaRepositories) {
  /**
   * Decides who pays for one single removal and, when the subscription does, counts the use — in the
   * caller's transaction, so a rollback (e.g. the job insert failing) un-counts it too. The caller must
   * hold `userRepository.lock`; even without it the counter refuses to count past domain's quotaCaps.
   */
  async function useQuotaOrDecideCredits(tx: Transaction, request: QuotaRequest): Promise<PaymentDecision> {
    const { userId, tier, now } = request;
    const { decision, subscription, day } = await decideSingle(tx, request);
    if (decision.pay !== "subscription" || !subscription) return decision;
    const counted = await repositories.quota.countUse(
      tx,
      { subscriptionId: subscription.id, userId, date: day },
      tier,
      quotaCaps(subscription, tier),
      now,
    );
    // Only reachable if someone counted between our read and this write without holding the user's lock.
    if (!counted) return { pay: "credits", credits: priceSingle(tier), reason: "quota_exhausted" };
    return decision;
  }

  /**
   * Who would pay for one single removal now, counting nothing: for refusing early (before an upload
   * is read) what useQuotaOrDecideCredits would refuse; that call stays the authority.
   */
  async function decideSingle(
    executor: Executor,
    request: QuotaRequest,
  ): Promise<{ decision: PaymentDecision; subscription: Subscription | null; day: string }> {
    const { userId, tier, now, timeZone } = request;
    const subscription = await repositories.subscriptions.findByUser(executor, userId);
    const day = quotaDay(now, timeZone).date;
    const usageToday = subscription ? await repositories.quota.usageOn(executor, subscription.id, day) : { removals: 0, professional: 0 };
    const decision = decidePayment({ kind: "single", tier, subscription: subscription && toSnapshot(subscription), usageToday, now });
    return { decision, subscription, day };
  }

  /**
   * Gives back the quota a failed subscription-paid job used, once: claiming the job's `refundedAt`
   * and decrementing the counter commit together, so a retry finds the job already claimed.
   * Returns false when there was nothing (left) to give back.
   */
  async function returnQuota(tx: Transaction, job: Pick<Removal, "id" | "userId" | "tier">, now: Date, timeZone: string): Promise<boolean> {
    const claimed = await repositories.removals.claimQuotaRefund(tx, job.id, now);
    if (!claimed) return false;
    const subscription = await repositories.subscriptions.findByUser(tx, job.userId);
    if (!subscription) return true;
    // The use was counted in the quota day the job was created in, which may be yesterday by now.
    await repositories.quota.uncountUse(tx, subscription.id, quotaDay(claimed.createdAt, timeZone).date, job.tier, now);
    return true;
  }

  return { useQuotaOrDecideCredits, decideSingle, returnQuota };
}

export type QuotaService = ReturnType<typeof createQuotaService>;

export const quotaService: QuotaService = createQuotaService({
  quota: quotaRepository,
  subscriptions: subscriptionRepository,
  removals: removalRepository,
});
export const { useQuotaOrDecideCredits, decideSingle, returnQuota } = quotaService;

function toSnapshot(row: Subscription): SubscriptionSnapshot {
  return {
    status: row.status,
    plan: row.plan,
    allowedTiers: row.allowedTiers,
    dailyQuota: row.dailyQuota,
    professionalDailyQuota: row.professionalDailyQuota,
    expiresAt: row.expiresAt,
  };
}
