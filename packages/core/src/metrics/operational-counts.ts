import { backgroundRemovalJobs, creditLedger, type Database } from "@bgr/db";
import type { TierName } from "@bgr/domain";
import { and, count, inArray, lt, sql } from "drizzle-orm";

/** Statuses a removal ends in: their counts only grow, so they read as Prometheus counters. */
const FINAL_STATUSES = ["completed", "failed", "cancelled"] as const;
export type FinalRemovalStatus = (typeof FINAL_STATUSES)[number];

/** Ledger reasons that take credits for work (a refund gives some back). */
const CHARGE_REASONS = ["removal", "batch"] as const;

/**
 * Totals for /metrics read from the database rather than counted in memory, so a scrape of any one
 * server covers the work of every server and worker process of the deployment.
 */
export class OperationalCounts {
  constructor(private readonly db: Database) {}

  async removals(): Promise<{ tier: TierName; status: FinalRemovalStatus; count: number }[]> {
    const jobs = backgroundRemovalJobs;
    const rows = await this.db
      .select({ tier: jobs.tier, status: jobs.status, count: count() })
      .from(jobs)
      .where(inArray(jobs.status, FINAL_STATUSES))
      .groupBy(jobs.tier, jobs.status);
    return rows as { tier: TierName; status: FinalRemovalStatus; count: number }[];
  }

  async credits(): Promise<{ charged: number; refunded: number }> {
    const ledger = creditLedger;
    const [row] = await this.db
      .select({
        charged: sql<number>`coalesce(sum(-${ledger.delta}) filter (where ${and(inArray(ledger.reason, CHARGE_REASONS), lt(ledger.delta, 0))}), 0)::bigint`.mapWith(Number),
        refunded: sql<number>`coalesce(sum(${ledger.delta}) filter (where ${ledger.reason} = 'refund'), 0)::bigint`.mapWith(Number),
      })
      .from(ledger);
    return row ?? { charged: 0, refunded: 0 };
  }
}
