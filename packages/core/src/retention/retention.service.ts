import { backgroundRemovalBatches, backgroundRemovalJobs, type Database, type Transaction } from "@bgr/db";
import { DomainError } from "@bgr/domain";
import { and, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import { resultVersionsRepository } from "../results/result-versions.repository.ts";
import type { Storage } from "../storage/storage.ts";

/** How long each kind of file is kept, in days, counted from when its job (or batch) settled. */
export interface RetentionPolicy {
  originalsDays: number;
  resultsDays: number;
  zipsDays: number;
}

/** The README's defaults: results are what users come back for, originals and ZIPs can be rebuilt by re-uploading. */
export const DEFAULT_RETENTION: RetentionPolicy = { originalsDays: 7, resultsDays: 30, zipsDays: 7 };

/** Files older than these instants are due. Pure, so the ages are testable without a clock. */
export function retentionCutoffs(policy: RetentionPolicy, now: Date): { originals: Date; results: Date; zips: Date } {
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
  return { originals: daysAgo(policy.originalsDays), results: daysAgo(policy.resultsDays), zips: daysAgo(policy.zipsDays) };
}

export interface RetentionDeps {
  db: Database;
  storage: Storage;
  policy: RetentionPolicy;
  /** Rows claimed per transaction: bounds lock time and memory however much is due. */
  batchSize?: number;
}

export interface SweepCounts {
  originals: number;
  results: number;
  zips: number;
}

const SETTLED = ["completed", "failed", "cancelled"] as const;

// A raw expression has no column type to encode a Date with, so the instant goes as ISO text.
function settledBefore(settledAt: SQL, cutoff: Date): SQL {
  return sql`${settledAt} < ${cutoff.toISOString()}::timestamptz`;
}

/**
 * Deletes files past their keeping period and marks their rows expired; the rows keep their numbers.
 * Idempotent (a marked row is never claimed again; deleting a missing file is a no-op) and safe with
 * several workers: each batch of rows is claimed FOR UPDATE SKIP LOCKED, so two sweeps never share one.
 */
export class RetentionService {
  constructor(private readonly deps: RetentionDeps) {}

  async sweep(now: Date): Promise<SweepCounts> {
    const cutoffs = retentionCutoffs(this.deps.policy, now);
    const jobs = backgroundRemovalJobs;
    const batches = backgroundRemovalBatches;
    const settledAt = sql`coalesce(${jobs.completedAt}, ${jobs.createdAt})`;

    const originals = await this.drain(async (tx, limit) => {
      const due = await tx
        .select({ id: jobs.id, original: jobs.originalFilePath, pipeline: jobs.pipeline })
        .from(jobs)
        .where(and(isNull(jobs.originalExpiredAt), inArray(jobs.status, SETTLED), settledBefore(settledAt, cutoffs.originals)))
        .limit(limit)
        .for("update", { skipLocked: true });
      for (const row of due) await this.deleteAll([row.original, row.pipeline?.intermediatePath]);
      if (due.length > 0) await tx.update(jobs).set({ originalExpiredAt: now }).where(inArray(jobs.id, due.map((r) => r.id)));
      return due.length;
    });

    const results = await this.drain(async (tx, limit) => {
      const due = await tx
        .select({ id: jobs.id, result: jobs.processedFilePath })
        .from(jobs)
        .where(and(isNull(jobs.resultExpiredAt), isNotNull(jobs.processedFilePath), inArray(jobs.status, SETTLED), settledBefore(settledAt, cutoffs.results)))
        .limit(limit)
        .for("update", { skipLocked: true });
      // Edited mattes are versions of the result: they go with it.
      const edits = await resultVersionsRepository.filePaths(tx, due.map((r) => r.id));
      for (const row of due) await this.deleteAll([row.result]);
      await this.deleteAll(edits);
      if (due.length > 0) await tx.update(jobs).set({ resultExpiredAt: now }).where(inArray(jobs.id, due.map((r) => r.id)));
      return due.length;
    });

    const zips = await this.drain(async (tx, limit) => {
      const due = await tx
        .select({ id: batches.id, zip: batches.zipFilePath })
        .from(batches)
        .where(and(isNull(batches.zipExpiredAt), isNotNull(batches.zipFilePath), settledBefore(sql`coalesce(${batches.completedAt}, ${batches.createdAt})`, cutoffs.zips)))
        .limit(limit)
        .for("update", { skipLocked: true });
      for (const row of due) await this.deleteAll([row.zip]);
      if (due.length > 0) await tx.update(batches).set({ zipExpiredAt: now }).where(inArray(batches.id, due.map((r) => r.id)));
      return due.length;
    });

    return { originals, results, zips };
  }

  /**
   * Why a signed link's file is missing: FILE_EXPIRED (410) when retention deleted it, else NOT_FOUND.
   * The key is the signed one, so this reveals nothing the link's holder did not already have.
   */
  async missingFileError(key: string): Promise<DomainError> {
    const jobs = backgroundRemovalJobs;
    const batches = backgroundRemovalBatches;
    const [job] = await this.deps.db
      .select({ original: jobs.originalExpiredAt, result: jobs.resultExpiredAt })
      .from(jobs)
      .where(
        or(
          // A pipeline's intermediate goes with its original.
          and(or(eq(jobs.originalFilePath, key), sql`${jobs.pipeline}->>'intermediatePath' = ${key}`), isNotNull(jobs.originalExpiredAt)),
          and(eq(jobs.processedFilePath, key), isNotNull(jobs.resultExpiredAt)),
        ),
      )
      .limit(1);
    const [batch] = job ? [] : await this.deps.db.select({ expiredAt: batches.zipExpiredAt }).from(batches).where(and(eq(batches.zipFilePath, key), isNotNull(batches.zipExpiredAt))).limit(1);
    const expiredAt = job ? (job.original ?? job.result) : batch?.expiredAt;
    if (expiredAt) return expiredFileError(expiredAt);
    return new DomainError("NOT_FOUND", "This file no longer exists. Ask for the job again to get a fresh link.");
  }

  /** Runs `claim` in its own transaction until a round finds nothing due. */
  private async drain(claim: (tx: Transaction, limit: number) => Promise<number>): Promise<number> {
    const limit = this.deps.batchSize ?? 200;
    let total = 0;
    for (;;) {
      const claimed = await this.deps.db.transaction((tx) => claim(tx, limit));
      total += claimed;
      if (claimed < limit) return total;
    }
  }

  private async deleteAll(keys: (string | null | undefined)[]): Promise<void> {
    for (const key of keys) if (key) await this.deps.storage.delete(key);
  }
}

/** The one wording of "retention deleted this" (files route and batch ZIP download). */
export function expiredFileError(expiredAt: Date): DomainError<"FILE_EXPIRED"> {
  return new DomainError(
    "FILE_EXPIRED",
    `This file was deleted on ${expiredAt.toISOString().slice(0, 10)} at the end of its keeping period; the job's record is still in your history. Upload the image again to get a new result.`,
  );
}
