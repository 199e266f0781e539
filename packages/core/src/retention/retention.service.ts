import type { Database, Transaction } from "@bgr/db";
import { DomainError } from "@bgr/domain";
import type { Storage } from "../storage/storage.ts";
import { retentionRepository, type DueFiles, type RetentionRepository } from "./retention.repository.ts";

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
  /** Default: the drizzle repository (unit tests pass an in-memory one). */
  repository?: RetentionRepository;
}

export interface SweepCounts {
  originals: number;
  results: number;
  zips: number;
}

/**
 * Deletes files past their keeping period and marks their rows expired; the rows keep their numbers.
 * Idempotent (a marked row is never claimed again; deleting a missing file is a no-op) and safe with
 * several workers: each batch of rows is claimed FOR UPDATE SKIP LOCKED, so two sweeps never share one.
 */
export class RetentionService {
  private readonly repository: RetentionRepository;

  constructor(private readonly deps: RetentionDeps) {
    this.repository = deps.repository ?? retentionRepository;
  }

  async sweep(now: Date): Promise<SweepCounts> {
    const cutoffs = retentionCutoffs(this.deps.policy, now);
    const repo = this.repository;
    const originals = await this.drain(
      (tx, limit) => repo.claimDueOriginals(tx, cutoffs.originals, limit),
      (tx, ids) => repo.markOriginalsExpired(tx, ids, now),
    );
    const results = await this.drain(
      (tx, limit) => repo.claimDueResults(tx, cutoffs.results, limit),
      (tx, ids) => repo.markResultsExpired(tx, ids, now),
    );
    const zips = await this.drain(
      (tx, limit) => repo.claimDueZips(tx, cutoffs.zips, limit),
      (tx, ids) => repo.markZipsExpired(tx, ids, now),
    );
    return { originals, results, zips };
  }

  /**
   * Why a signed link's file is missing: FILE_EXPIRED (410) when retention deleted it, else NOT_FOUND.
   * The key is the signed one, so this reveals nothing the link's holder did not already have.
   */
  async missingFileError(key: string): Promise<DomainError> {
    const expiredAt = await this.repository.expiredAtOf(this.deps.db, key);
    if (expiredAt) return expiredFileError(expiredAt);
    return new DomainError("NOT_FOUND", "This file no longer exists. Ask for the job again to get a fresh link.");
  }

  /**
   * Claims due rows a batch at a time, each batch in its own transaction: deletes their files, then
   * marks them expired, until a round finds fewer than a full batch.
   */
  private async drain(
    claim: (tx: Transaction, limit: number) => Promise<DueFiles[]>,
    markExpired: (tx: Transaction, ids: string[]) => Promise<void>,
  ): Promise<number> {
    const limit = this.deps.batchSize ?? 200;
    let total = 0;
    for (;;) {
      const claimed = await this.deps.db.transaction(async (tx) => {
        const due = await claim(tx, limit);
        for (const row of due) for (const key of row.keys) if (key) await this.deps.storage.delete(key);
        await markExpired(
          tx,
          due.map((row) => row.id),
        );
        return due.length;
      });
      total += claimed;
      if (claimed < limit) return total;
    }
  }
}

/** The one wording of "retention deleted this" (files route and batch ZIP download). */
export function expiredFileError(expiredAt: Date): DomainError<"FILE_EXPIRED"> {
  return new DomainError(
    "FILE_EXPIRED",
    `This file was deleted on ${expiredAt.toISOString().slice(0, 10)} at the end of its keeping period; the job's record is still in your history. Upload the image again to get a new result.`,
  );
}
