/**
 * All SQL of removal rows (`background_removal_jobs`) outside batches' own bookkeeping
 * (batch/batch.repository.ts): single and pipeline jobs, history, usage counts. Each function takes
 * an executor (the database or an open transaction); no business rule lives here.
 */
import {
  backgroundRemovalJobs as jobs,
  type Executor,
  type RemovalStatus,
  type NewRemoval,
  type PipelineState,
  type Removal,
} from "@bgr/db";
import { parseMatteSource, type TierName, type WindowCount } from "@bgr/domain";
import { and, avg, count, desc, eq, gt, inArray, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";

/** Which of a user's jobs a history page shows. */
export interface RemovalFilter {
  userId: string;
  status?: RemovalStatus;
  tier?: TierName;
}

/** What a job's settlement writes (status plus its outcome's columns). */
export type RemovalSettlement =
  | (Pick<
      Removal,
      | "processedFilePath"
      | "processedFileSize"
      | "processingTimeMs"
      | "width"
      | "height"
      | "format"
      | "modelName"
      | "aiProvider"
      | "completedAt"
    > & { status: "completed" })
  | (Pick<Removal, "errorMessage" | "completedAt"> & { status: "failed" });

const UNSETTLED = ["pending", "processing"] as const;

/** A matte source (`local:isnet-fp16`) as the row's provider and model columns. */
export function matteColumns(source: string): { aiProvider: string; modelName: string | null } {
  const { provider, model } = parseMatteSource(source);
  return { aiProvider: provider, modelName: model };
}

export const removalRepository = {
  async find(executor: Executor, jobId: string): Promise<Removal | null> {
    const [row] = await executor.select().from(jobs).where(eq(jobs.id, jobId));
    return row ?? null;
  },

  async findOwned(executor: Executor, userId: string, jobId: string): Promise<Removal | null> {
    const [row] = await executor
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, jobId), eq(jobs.userId, userId)));
    return row ?? null;
  },

  /** One page of the user's jobs (batch items included), newest first, and how many match. */
  async page(executor: Executor, filter: RemovalFilter, page: number, pageSize: number): Promise<{ rows: Removal[]; total: number }> {
    const filters: SQL[] = [eq(jobs.userId, filter.userId)];
    if (filter.status) filters.push(eq(jobs.status, filter.status));
    if (filter.tier) filters.push(eq(jobs.tier, filter.tier));
    const where = and(...filters);
    const [rows, [total]] = await Promise.all([
      executor
        .select()
        .from(jobs)
        .where(where)
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize),
      executor.select({ n: count() }).from(jobs).where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  },

  /** Everyone's jobs, newest first (the admin's view). */
  async recent(executor: Executor, limit: number): Promise<Pick<Removal, "id" | "userId" | "tier" | "status" | "createdAt">[]> {
    return executor
      .select({ id: jobs.id, userId: jobs.userId, tier: jobs.tier, status: jobs.status, createdAt: jobs.createdAt })
      .from(jobs)
      .orderBy(desc(jobs.createdAt))
      .limit(limit);
  },

  /** Unfinished jobs (anyone's) created before `createdAt`. */
  async countUnsettledBefore(executor: Executor, createdAt: Date): Promise<number> {
    const [row] = await executor
      .select({ n: count() })
      .from(jobs)
      .where(and(inArray(jobs.status, UNSETTLED), lt(jobs.createdAt, createdAt)));
    return row?.n ?? 0;
  },

  /** Mean processing time of completed jobs of the tier (anyone's) or of the user; null before any completed. */
  async meanProcessingMs(executor: Executor, of: { tier: TierName } | { userId: string }): Promise<number | null> {
    const [row] = await executor
      .select({ mean: avg(jobs.processingTimeMs) })
      .from(jobs)
      .where(and("tier" in of ? eq(jobs.tier, of.tier) : eq(jobs.userId, of.userId), eq(jobs.status, "completed")));
    return row?.mean == null ? null : Number(row.mean);
  },

  /** How many of the user's jobs have each tier, or each status. */
  async countsOf(executor: Executor, userId: string, by: "tier" | "status"): Promise<Record<string, number>> {
    const key = by === "tier" ? jobs.tier : jobs.status;
    const rows = await executor.select({ key, n: count() }).from(jobs).where(eq(jobs.userId, userId)).groupBy(key);
    return Object.fromEntries(rows.map((row) => [row.key, row.n]));
  },

  /** Everyone's jobs in these statuses, by tier and status. */
  async countsByTierAndStatus<S extends RemovalStatus>(
    executor: Executor,
    statuses: readonly S[],
  ): Promise<{ tier: TierName; status: S; count: number }[]> {
    const rows = await executor
      .select({ tier: jobs.tier, status: jobs.status, count: count() })
      .from(jobs)
      .where(inArray(jobs.status, statuses))
      .groupBy(jobs.tier, jobs.status);
    return rows as { tier: TierName; status: S; count: number }[];
  },

  /** The user's single removals (not batch items) created after `since`, for the rate limit. */
  async countSinglesSince(executor: Executor, userId: string, since: Date): Promise<WindowCount> {
    const [row] = await executor
      .select({ count: sql<number>`count(*)::int`, oldest: sql<Date | null>`min(${jobs.createdAt})` })
      .from(jobs)
      .where(and(eq(jobs.userId, userId), isNull(jobs.batchId), gt(jobs.createdAt, since)));
    return { count: row?.count ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
  },

  async insert(executor: Executor, job: NewRemoval): Promise<Removal> {
    const [row] = await executor.insert(jobs).values(job).returning();
    return row!;
  },

  /** Records how an unsettled job ended (its caller credentials dropped); null when it was settled already. */
  async settle(executor: Executor, jobId: string, settlement: RemovalSettlement): Promise<Removal | null> {
    const [row] = await executor
      .update(jobs)
      .set({ ...settlement, sealedAuthorization: null })
      .where(and(eq(jobs.id, jobId), inArray(jobs.status, UNSETTLED)))
      .returning();
    return row ?? null;
  },

  async markRefunded(executor: Executor, jobId: string, at: Date): Promise<void> {
    await executor.update(jobs).set({ refundedAt: at }).where(eq(jobs.id, jobId));
  },

  /** Marks a subscription-paid job refunded, once; returns when it was created, or null when it was claimed already. */
  async claimQuotaRefund(executor: Executor, jobId: string, at: Date): Promise<{ createdAt: Date } | null> {
    const [row] = await executor
      .update(jobs)
      .set({ refundedAt: at })
      .where(and(eq(jobs.id, jobId), eq(jobs.pricingType, "subscription"), isNull(jobs.refundedAt)))
      .returning({ createdAt: jobs.createdAt });
    return row ?? null;
  },

  /** Takes a pipeline job for its next step (counting the attempt); null when it is settled already. */
  async claimPipelineStep(executor: Executor, jobId: string): Promise<Removal | null> {
    const [row] = await executor
      .update(jobs)
      .set({ status: "processing", attempts: sql`${jobs.attempts} + 1` })
      .where(and(eq(jobs.id, jobId), isNotNull(jobs.pipeline), inArray(jobs.status, UNSETTLED)))
      .returning();
    return row ?? null;
  },

  /** Records a pipeline's first step output, so a retry resumes after it. */
  async recordPipelineStep(executor: Executor, jobId: string, pipeline: PipelineState, matteSource: string): Promise<void> {
    await executor
      .update(jobs)
      .set({ pipeline, ...matteColumns(matteSource) })
      .where(eq(jobs.id, jobId));
  },
};

/** The removal SQL as a type: services take it as an argument, and unit tests pass an in-memory one. */
export type RemovalRepository = typeof removalRepository;
