/**
 * All SQL of batches and their items. Each function takes an executor (the database or an open
 * transaction), so a service decides what commits together; no business rule lives here.
 */
import {
  backgroundRemovalBatches as batches,
  backgroundRemovalJobs as items,
  type Executor,
  type NewRemovalBatch,
  type NewRemovalJob,
  type RemovalBatch,
  type RemovalJob,
} from "@bgr/db";
import type { FinalBatchStatus, TierName, WindowCount } from "@bgr/domain";
import { and, asc, count, desc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";

/** What a finished item records. */
export type ItemOutcome =
  | {
      status: "completed";
      processedFilePath: string;
      processedFileSize: number;
      /** The result's encoding (the batch's format; png without options). */
      format: string;
      width: number;
      height: number;
      processingTimeMs: number;
      aiProvider: string;
      modelName: string | null;
      workerId: string;
    }
  | { status: "failed"; errorMessage: string };

const inUploadOrder = [asc(items.createdAt), asc(items.id)] as const;

export const batchRepository = {
  async find(executor: Executor, batchId: string): Promise<RemovalBatch | null> {
    const [row] = await executor.select().from(batches).where(eq(batches.id, batchId));
    return row ?? null;
  },

  /** The batch row, locked until the transaction ends: item settlements and a cancel take turns on it. */
  async lock(executor: Executor, batchId: string): Promise<RemovalBatch | null> {
    const [row] = await executor.select().from(batches).where(eq(batches.id, batchId)).for("update");
    return row ?? null;
  },

  async findOwned(executor: Executor, userId: string, batchId: string): Promise<RemovalBatch | null> {
    const [row] = await executor
      .select()
      .from(batches)
      .where(and(eq(batches.id, batchId), eq(batches.userId, userId)));
    return row ?? null;
  },

  /** One page of the user's batches, newest first, and how many there are. */
  async page(executor: Executor, userId: string, page: number, pageSize: number): Promise<{ rows: RemovalBatch[]; total: number }> {
    const mine = eq(batches.userId, userId);
    const [rows, [total]] = await Promise.all([
      executor
        .select()
        .from(batches)
        .where(mine)
        .orderBy(desc(batches.createdAt))
        .limit(pageSize)
        .offset((page - 1) * pageSize),
      executor.select({ n: count() }).from(batches).where(mine),
    ]);
    return { rows, total: total?.n ?? 0 };
  },

  /** The user's batches created after `since`, for the hourly limit. */
  async countCreatedSince(executor: Executor, userId: string, since: Date): Promise<WindowCount> {
    const [row] = await executor
      .select({ n: count(), oldest: sql<Date | null>`min(${batches.createdAt})` })
      .from(batches)
      .where(and(eq(batches.userId, userId), gt(batches.createdAt, since)));
    return { count: row?.n ?? 0, oldest: row?.oldest ? new Date(row.oldest) : null };
  },

  async insert(executor: Executor, batch: NewRemovalBatch, batchItems: NewRemovalJob[]): Promise<RemovalBatch> {
    const [row] = await executor.insert(batches).values(batch).returning();
    await executor.insert(items).values(batchItems);
    return row!;
  },

  async items(executor: Executor, batchId: string): Promise<RemovalJob[]> {
    return executor
      .select()
      .from(items)
      .where(eq(items.batchId, batchId))
      .orderBy(...inUploadOrder);
  },

  async completedItems(executor: Executor, batchId: string): Promise<RemovalJob[]> {
    return executor
      .select()
      .from(items)
      .where(and(eq(items.batchId, batchId), eq(items.status, "completed")))
      .orderBy(...inUploadOrder);
  },

  async itemStatuses(executor: Executor, batchId: string): Promise<Pick<RemovalJob, "id" | "status">[]> {
    return executor
      .select({ id: items.id, status: items.status })
      .from(items)
      .where(eq(items.batchId, batchId))
      .orderBy(...inUploadOrder);
  },

  /** Milliseconds the tier's most recently finished jobs took, for the completion estimate. */
  async recentProcessingTimes(executor: Executor, tier: TierName, sample: number): Promise<number[]> {
    const rows = await executor
      .select({ ms: items.processingTimeMs })
      .from(items)
      .where(and(eq(items.tier, tier), eq(items.status, "completed"), isNotNull(items.processingTimeMs)))
      .orderBy(desc(items.completedAt))
      .limit(sample);
    return rows.map((row) => row.ms ?? 0);
  },

  /** Takes an item for processing (counting the attempt); null when it is settled already or cancelled. */
  async claimItem(executor: Executor, itemId: string): Promise<RemovalJob | null> {
    const [row] = await executor
      .update(items)
      .set({ status: "processing", attempts: sql`${items.attempts} + 1` })
      .where(and(eq(items.id, itemId), inArray(items.status, ["pending", "processing"])))
      .returning();
    return row ?? null;
  },

  /** A pending batch becomes processing when its first item starts (later starts change nothing). */
  async markStarted(executor: Executor, batchId: string): Promise<void> {
    await executor
      .update(batches)
      .set({ status: "processing", startedAt: sql`coalesce(${batches.startedAt}, now())` })
      .where(and(eq(batches.id, batchId), eq(batches.status, "pending")));
  },

  /** Records an item's outcome unless another delivery settled it first (then null). */
  async settleItem(executor: Executor, itemId: string, outcome: ItemOutcome, at: Date): Promise<RemovalJob | null> {
    const [row] = await executor
      .update(items)
      .set({ ...outcome, completedAt: at })
      .where(and(eq(items.id, itemId), eq(items.status, "processing")))
      .returning();
    return row ?? null;
  },

  async recordProgress(
    executor: Executor,
    batchId: string,
    progress: { processedImages: number; failedImages: number; progressPercent: number },
  ): Promise<void> {
    await executor.update(batches).set(progress).where(eq(batches.id, batchId));
  },

  /** Cancels the items that have not started; returns how many. */
  async cancelPendingItems(executor: Executor, batchId: string, at: Date): Promise<number> {
    const stopped = await executor
      .update(items)
      .set({ status: "cancelled", completedAt: at })
      .where(and(eq(items.batchId, batchId), eq(items.status, "pending")))
      .returning({ id: items.id });
    return stopped.length;
  },

  async markCancelled(executor: Executor, batchId: string, at: Date, cancelledImages: number): Promise<void> {
    await executor.update(batches).set({ status: "cancelled", cancelledAt: at, cancelledImages }).where(eq(batches.id, batchId));
  },

  /** What each item finally cost (settlement writes the successes' shares). */
  async setItemCost(executor: Executor, itemIds: string[], credits: number): Promise<void> {
    await executor.update(items).set({ creditUsed: credits }).where(inArray(items.id, itemIds));
  },

  /** Failed and cancelled items cost nothing and count as refunded. */
  async markUnsuccessfulItemsRefunded(executor: Executor, batchId: string, at: Date): Promise<void> {
    await executor
      .update(items)
      .set({ creditUsed: 0, refundedAt: at })
      .where(and(eq(items.batchId, batchId), inArray(items.status, ["failed", "cancelled"])));
  },

  /** Records the batch's refund once (a second settlement finds it set). */
  async recordRefund(executor: Executor, batchId: string, refund: number): Promise<void> {
    await executor
      .update(batches)
      .set({ refundedCredits: refund })
      .where(and(eq(batches.id, batchId), isNull(batches.refundedCredits)));
  },

  /** Stores the ZIP and the final status, once: null when another finalize got there first. */
  async complete(
    executor: Executor,
    batchId: string,
    zip: { key: string; size: number },
    status: FinalBatchStatus,
    at: Date,
  ): Promise<RemovalBatch | null> {
    const [row] = await executor
      .update(batches)
      .set({ zipFilePath: zip.key, zipFileSize: zip.size, completedAt: at, status })
      .where(and(eq(batches.id, batchId), isNull(batches.zipFilePath)))
      .returning();
    return row ?? null;
  },
};
