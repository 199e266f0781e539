import type { Database } from "@bgr/db";
import type { TierName } from "@bgr/domain";
import { creditRepository } from "../credits/credit.repository.ts";
import { removalRepository } from "../removal/removal.repository.ts";

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
    return removalRepository.countsByTierAndStatus(this.db, FINAL_STATUSES);
  }

  async credits(): Promise<{ charged: number; refunded: number }> {
    return creditRepository.totals(this.db, CHARGE_REASONS);
  }
}
