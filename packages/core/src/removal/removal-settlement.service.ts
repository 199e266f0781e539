import type { Database, Removal } from "@bgr/db";
import { DEFAULT_QUOTA_TIME_ZONE } from "@bgr/domain";
import { creditLedgerService, type CreditLedger } from "../credits/credit-ledger.ts";
import type { TaskQueue } from "../queue/task-queue.ts";
import { matteColumns, removalRepository, type RemovalRepository } from "./removal.repository.ts";
import { quotaService, type QuotaService } from "../subscriptions/quota.ts";

export interface RemovalSettlementDeps {
  db: Database;
  queue: Pick<TaskQueue, "enqueue">;
  now: () => Date;
  /** QUOTA_TIMEZONE: a refunded subscription use goes back to the quota day it was counted in. */
  quotaTimeZone?: string;
  /** Default: the drizzle repository, quota and ledger (unit tests pass in-memory ones). */
  repositories?: RemovalSettlementRepositories;
}

/** What settling a job changes: its row, and its refund: the quota use back (quota service) or the credits (ledger). */
export interface RemovalSettlementRepositories {
  removals: RemovalRepository;
  quota: QuotaService;
  ledger: CreditLedger;
}

const drizzleRepositories: RemovalSettlementRepositories = {
  removals: removalRepository,
  quota: quotaService,
  ledger: creditLedgerService,
};

/** A finished job's output, already in storage. */
export interface RemovalOutput {
  key: string;
  size: number;
  width: number;
  height: number;
  format: string;
  processingTimeMs: number;
  /** Which backend made the matte (e.g. `local:isnet-fp16`, `segmind:…`). */
  provider: string;
}

/**
 * How a single or pipeline job ends: completed with its output, or failed with its money back. Each
 * runs once whatever retries happen, and queues the caller's callback in the same transaction.
 */
export class RemovalSettlementService {
  private readonly repositories: RemovalSettlementRepositories;

  constructor(private readonly deps: RemovalSettlementDeps) {
    this.repositories = deps.repositories ?? drizzleRepositories;
  }

  async complete(job: Removal, output: RemovalOutput): Promise<Removal> {
    const { db, now } = this.deps;
    return db.transaction(async (tx) => {
      const done = await this.repositories.removals.settle(tx, job.id, {
        status: "completed",
        processedFilePath: output.key,
        processedFileSize: output.size,
        processingTimeMs: output.processingTimeMs,
        width: output.width,
        height: output.height,
        format: output.format,
        ...matteColumns(output.provider),
        completedAt: now(),
      });
      if (done?.callbackUrl) await this.deps.queue.enqueue(tx, "jobCallback", [{ jobId: done.id }]);
      return done ?? job;
    });
  }

  /** Marks the job failed and refunds it (credits, or the subscription's quota use). */
  async failAndRefund(job: Removal, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const { now } = this.deps;
    const { removals, quota, ledger } = this.repositories;
    await this.deps.db.transaction(async (tx) => {
      const failed = await removals.settle(tx, job.id, { status: "failed", errorMessage: message, completedAt: now() });
      if (!failed) return; // settled already
      if (failed.callbackUrl) await this.deps.queue.enqueue(tx, "jobCallback", [{ jobId: failed.id }]);
      if (job.pricingType === "subscription") {
        await quota.returnQuota(tx, job, now(), this.deps.quotaTimeZone ?? DEFAULT_QUOTA_TIME_ZONE);
        return;
      }
      if (job.creditUsed === 0) return;
      const refunded = await ledger.credit(tx, {
        userId: job.userId,
        amount: job.creditUsed,
        reason: "refund",
        referenceType: "background_removal_job",
        referenceId: job.id,
        idempotencyKey: `refund:job:${job.id}`,
      });
      if (refunded) await removals.markRefunded(tx, job.id, now());
    });
  }
}
