/**
 * All SQL of retention: claiming rows whose files are past their keeping period, marking them
 * expired, and telling an expired file from a missing one. A file's age counts from when its job (or
 * batch) settled. Claims take FOR UPDATE SKIP LOCKED, so two sweeps never share a row.
 */
import {
  backgroundRemovalBatches as batches,
  backgroundRemovalJobs as jobs,
  resultMatteVersions as versions,
  type Executor,
  type Transaction,
} from "@bgr/db";
import { and, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";

const SETTLED = ["completed", "failed", "cancelled"] as const;

/** A claimed row and the storage keys it holds. */
export interface DueFiles {
  id: string;
  keys: (string | null)[];
}

// A raw expression has no column type to encode a Date with, so the instant goes as ISO text.
function settledBefore(settledAt: SQL, cutoff: Date): SQL {
  return sql`${settledAt} < ${cutoff.toISOString()}::timestamptz`;
}

const jobSettledAt = sql`coalesce(${jobs.completedAt}, ${jobs.createdAt})`;
const batchSettledAt = sql`coalesce(${batches.completedAt}, ${batches.createdAt})`;

export const retentionRepository = {
  /** Settled jobs whose original (and a pipeline's intermediate) is older than `cutoff` and not yet expired. */
  async claimDueOriginals(tx: Transaction, cutoff: Date, limit: number): Promise<DueFiles[]> {
    const rows = await tx
      .select({ id: jobs.id, original: jobs.originalFilePath, pipeline: jobs.pipeline })
      .from(jobs)
      .where(and(isNull(jobs.originalExpiredAt), inArray(jobs.status, SETTLED), settledBefore(jobSettledAt, cutoff)))
      .limit(limit)
      .for("update", { skipLocked: true });
    return rows.map((row) => ({ id: row.id, keys: [row.original, row.pipeline?.intermediatePath ?? null] }));
  },

  async markOriginalsExpired(tx: Transaction, jobIds: string[], at: Date): Promise<void> {
    if (jobIds.length > 0) await tx.update(jobs).set({ originalExpiredAt: at }).where(inArray(jobs.id, jobIds));
  },

  async claimDueResults(tx: Transaction, cutoff: Date, limit: number): Promise<DueFiles[]> {
    const rows = await tx
      .select({
        id: jobs.id,
        result: jobs.processedFilePath,
        // Edited mattes are versions of the result: they go with it.
        edits: sql<string[] | null>`(select array_agg(${versions.filePath}) from ${versions} where ${versions.jobId} = ${jobs.id})`,
      })
      .from(jobs)
      .where(
        and(
          isNull(jobs.resultExpiredAt),
          isNotNull(jobs.processedFilePath),
          inArray(jobs.status, SETTLED),
          settledBefore(jobSettledAt, cutoff),
        ),
      )
      .limit(limit)
      .for("update", { skipLocked: true });
    return rows.map((row) => ({ id: row.id, keys: [row.result, ...(row.edits ?? [])] }));
  },

  async markResultsExpired(tx: Transaction, jobIds: string[], at: Date): Promise<void> {
    if (jobIds.length > 0) await tx.update(jobs).set({ resultExpiredAt: at }).where(inArray(jobs.id, jobIds));
  },

  async claimDueZips(tx: Transaction, cutoff: Date, limit: number): Promise<DueFiles[]> {
    const rows = await tx
      .select({ id: batches.id, zip: batches.zipFilePath })
      .from(batches)
      .where(and(isNull(batches.zipExpiredAt), isNotNull(batches.zipFilePath), settledBefore(batchSettledAt, cutoff)))
      .limit(limit)
      .for("update", { skipLocked: true });
    return rows.map((row) => ({ id: row.id, keys: [row.zip] }));
  },

  async markZipsExpired(tx: Transaction, batchIds: string[], at: Date): Promise<void> {
    if (batchIds.length > 0) await tx.update(batches).set({ zipExpiredAt: at }).where(inArray(batches.id, batchIds));
  },

  /** When retention deleted the file stored at `key`; null when no expired row holds it. */
  async expiredAtOf(executor: Executor, key: string): Promise<Date | null> {
    const [job] = await executor
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
    if (job) return job.original ?? job.result;
    const [batch] = await executor
      .select({ expiredAt: batches.zipExpiredAt })
      .from(batches)
      .where(and(eq(batches.zipFilePath, key), isNotNull(batches.zipExpiredAt)))
      .limit(1);
    return batch?.expiredAt ?? null;
  },
};

/** The retention SQL as a type: services take it as an argument, and unit tests pass an in-memory one. */
export type RetentionRepository = typeof retentionRepository;
