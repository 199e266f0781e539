/**
 * The daily subscription quota: the one module that reads and changes usage counters. Every removal
 * asks `useQuotaOrDecideCredits` inside its own transaction (after `lockUser`), so checking the quota
 * and using it are one atomic step; a failed subscription-paid removal gives its use back with
 * `returnQuota`, exactly once.
 */
import {
  backgroundRemovalJobs,
  backgroundRemoverSubscriptionUsage as usage,
  backgroundRemoverSubscriptions as subscriptions,
  type Executor,
  type RemovalJob,
  type Subscription,
  type Transaction,
} from "@bgr/db";
import { decidePayment, priceSingle, quotaCaps, quotaDay, type PaymentDecision, type SubscriptionSnapshot, type TierName, type UsageToday } from "@bgr/domain";
import { and, eq, gt, isNull, lt, sql, type SQL } from "drizzle-orm";

export interface QuotaRequest {
  userId: string;
  tier: TierName;
  now: Date;
  /** QUOTA_TIMEZONE: the quota day starts at midnight there. */
  timeZone: string;
}

/** The daily row counts every tier; per-tier columns say which tiers used it. */
const DAILY_ROW = "all";

/**
 * Decides who pays for one single removal and, when the subscription does, counts the use — in the
 * caller's transaction, so a rollback (e.g. the job insert failing) un-counts it too. The caller must
 * hold `lockUser`; even without it the conditional upsert below refuses to count past the quota.
 */
export async function useQuotaOrDecideCredits(tx: Transaction, request: QuotaRequest): Promise<PaymentDecision> {
  const { userId, tier, now } = request;
  const { decision, subscription, day } = await decideSingle(tx, request);
  if (decision.pay !== "subscription" || !subscription) return decision;

  const counts = tierCounts(tier);
  // domain's fitsUnderQuota, as SQL: the upsert counts only while the day's row is under the same caps.
  const caps = quotaCaps(subscription, tier);
  const capped: SQL[] = [lt(usage.removalsCount, caps.removals)];
  if (caps.professional !== null) capped.push(lt(usage.professionalCount, caps.professional));
  const [counted] = await tx
    .insert(usage)
    .values({ subscriptionId: subscription.id, userId, date: day, tier: DAILY_ROW, removalsCount: 1, ...counts, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: [usage.subscriptionId, usage.date, usage.tier],
      set: {
        removalsCount: sql`${usage.removalsCount} + 1`,
        basicCount: sql`${usage.basicCount} + ${counts.basicCount}`,
        standardCount: sql`${usage.standardCount} + ${counts.standardCount}`,
        professionalCount: sql`${usage.professionalCount} + ${counts.professionalCount}`,
        updatedAt: now,
      },
      setWhere: and(...capped),
    })
    .returning({ id: usage.id });
  // Only reachable if someone counted between our read and this write without holding lockUser.
  if (!counted) return { pay: "credits", credits: priceSingle(tier), reason: "quota_exhausted" };
  return decision;
}

/**
 * Who would pay for one single removal now, counting nothing: for refusing early (before an upload
 * is read) what useQuotaOrDecideCredits would refuse; that call stays the authority.
 */
export async function decideSingle(executor: Executor, request: QuotaRequest): Promise<{ decision: PaymentDecision; subscription: Subscription | null; day: string }> {
  const { userId, tier, now, timeZone } = request;
  const subscription = await subscriptionOf(executor, userId);
  const day = quotaDay(now, timeZone).date;
  const usageToday = subscription ? await usageOn(executor, subscription.id, day) : { removals: 0, professional: 0 };
  const decision = decidePayment({ kind: "single", tier, subscription: subscription && toSnapshot(subscription), usageToday, now });
  return { decision, subscription, day };
}

/**
 * Gives back the quota a failed subscription-paid job used, once: claiming the job's `refundedAt`
 * and decrementing the counter commit together, so a retry finds the job already claimed.
 * Returns false when there was nothing (left) to give back.
 */
export async function returnQuota(tx: Transaction, job: Pick<RemovalJob, "id" | "userId" | "tier">, now: Date, timeZone: string): Promise<boolean> {
  const [claimed] = await tx
    .update(backgroundRemovalJobs)
    .set({ refundedAt: now })
    .where(and(eq(backgroundRemovalJobs.id, job.id), eq(backgroundRemovalJobs.pricingType, "subscription"), isNull(backgroundRemovalJobs.refundedAt)))
    .returning({ createdAt: backgroundRemovalJobs.createdAt });
  if (!claimed) return false;
  const subscription = await subscriptionOf(tx, job.userId);
  if (!subscription) return true;
  // The use was counted in the quota day the job was created in, which may be yesterday by now.
  const day = quotaDay(claimed.createdAt, timeZone).date;
  const counts = tierCounts(job.tier);
  const tierColumn = job.tier === "basic" ? usage.basicCount : job.tier === "standard" ? usage.standardCount : usage.professionalCount;
  await tx
    .update(usage)
    .set({
      removalsCount: sql`${usage.removalsCount} - 1`,
      basicCount: sql`${usage.basicCount} - ${counts.basicCount}`,
      standardCount: sql`${usage.standardCount} - ${counts.standardCount}`,
      professionalCount: sql`${usage.professionalCount} - ${counts.professionalCount}`,
      updatedAt: now,
    })
    .where(and(eq(usage.subscriptionId, subscription.id), eq(usage.date, day), eq(usage.tier, DAILY_ROW), gt(usage.removalsCount, 0), gt(tierColumn, 0)));
  return true;
}

/** The user's subscription row, whatever its status (at most one per user). */
export async function subscriptionOf(executor: Executor, userId: string): Promise<Subscription | null> {
  const [row] = await executor.select().from(subscriptions).where(eq(subscriptions.userId, userId));
  return row ?? null;
}

/** Removals the subscription paid for on `date` ('YYYY-MM-DD' of the quota day). */
export async function usageOn(executor: Executor, subscriptionId: string, date: string): Promise<UsageToday> {
  const [row] = await executor
    .select({ removals: usage.removalsCount, professional: usage.professionalCount })
    .from(usage)
    .where(and(eq(usage.subscriptionId, subscriptionId), eq(usage.date, date), eq(usage.tier, DAILY_ROW)));
  return row ?? { removals: 0, professional: 0 };
}

export function toSnapshot(row: Subscription): SubscriptionSnapshot {
  return {
    status: row.status,
    plan: row.plan,
    allowedTiers: row.allowedTiers,
    dailyQuota: row.dailyQuota,
    professionalDailyQuota: row.professionalDailyQuota,
    expiresAt: row.expiresAt,
  };
}

/** 1 in the column of `tier`, 0 in the others (industry is never plan-paid, so it has none). */
function tierCounts(tier: TierName) {
  return {
    basicCount: tier === "basic" ? 1 : 0,
    standardCount: tier === "standard" ? 1 : 0,
    professionalCount: tier === "professional" ? 1 : 0,
  };
}
