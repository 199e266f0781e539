/**
 * All SQL of the daily usage counters (`background_remover_subscription_usage`). The caps come in as
 * numbers (domain's quotaCaps); no business rule lives here.
 */
import { backgroundRemoverSubscriptionUsage as usage, type Executor } from "@bgr/db";
import type { QuotaCaps, TierName, UsageToday } from "@bgr/domain";
import { and, eq, gt, lt, sql, type SQL } from "drizzle-orm";

/** The daily row counts every tier; per-tier columns say which tiers used it. */
const DAILY_ROW = "all";

/** Which subscription, user and quota day ('YYYY-MM-DD') a use counts in. */
export interface QuotaDayKey {
  subscriptionId: string;
  userId: string;
  date: string;
}

export const quotaRepository = {
  /** Removals the subscription paid for on `date`. */
  async usageOn(executor: Executor, subscriptionId: string, date: string): Promise<UsageToday> {
    const [row] = await executor
      .select({ removals: usage.removalsCount, professional: usage.professionalCount })
      .from(usage)
      .where(and(eq(usage.subscriptionId, subscriptionId), eq(usage.date, date), eq(usage.tier, DAILY_ROW)));
    return row ?? { removals: 0, professional: 0 };
  },

  /**
   * Counts one use of `tier` on the day, in one upsert that counts only while the day's row is under
   * `caps`; false when the caps were reached (nothing is counted then).
   */
  async countUse(executor: Executor, day: QuotaDayKey, tier: TierName, caps: QuotaCaps, now: Date): Promise<boolean> {
    const counts = tierCounts(tier);
    const capped: SQL[] = [lt(usage.removalsCount, caps.removals)];
    if (caps.professional !== null) capped.push(lt(usage.professionalCount, caps.professional));
    const [counted] = await executor
      .insert(usage)
      .values({ ...day, tier: DAILY_ROW, removalsCount: 1, ...counts, createdAt: now, updatedAt: now })
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
    return counted !== undefined;
  },

  /** Un-counts one use of `tier` on the day; a counter already at zero stays there. */
  async uncountUse(executor: Executor, subscriptionId: string, date: string, tier: TierName, now: Date): Promise<void> {
    const counts = tierCounts(tier);
    const tierColumn = tier === "basic" ? usage.basicCount : tier === "standard" ? usage.standardCount : usage.professionalCount;
    await executor
      .update(usage)
      .set({
        removalsCount: sql`${usage.removalsCount} - 1`,
        basicCount: sql`${usage.basicCount} - ${counts.basicCount}`,
        standardCount: sql`${usage.standardCount} - ${counts.standardCount}`,
        professionalCount: sql`${usage.professionalCount} - ${counts.professionalCount}`,
        updatedAt: now,
      })
      .where(
        and(
          eq(usage.subscriptionId, subscriptionId),
          eq(usage.date, date),
          eq(usage.tier, DAILY_ROW),
          gt(usage.removalsCount, 0),
          gt(tierColumn, 0),
        ),
      );
  },
};

/** 1 in the column of `tier`, 0 in the others (industry is never plan-paid, so it has none). */
function tierCounts(tier: TierName) {
  return {
    basicCount: tier === "basic" ? 1 : 0,
    standardCount: tier === "standard" ? 1 : 0,
    professionalCount: tier === "professional" ? 1 : 0,
  };
}

/** The quota SQL as a type: services take it as an argument, and unit tests pass an in-memory one. */
export type QuotaRepository = typeof quotaRepository;
