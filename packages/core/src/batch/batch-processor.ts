import { PassThrough } from "node:stream";
import { backgroundRemovalBatches, backgroundRemovalJobs, type Database, type RemovalJob } from "@bgr/db";
import { batchNotificationKind } from "@bgr/domain";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import yazl from "yazl";
import type { JobQueue, QueuedJob } from "../queue/job-queue.ts";
import { isEngineInputError } from "../removal/engine-errors.ts";
import type { RemovalRunner } from "../removal/removal.service.ts";
import { readObject, storageKeys, type Storage } from "../storage/storage.ts";
import { closeBatchIfSettled } from "./batch-settlement.ts";
import { zipEntryNames } from "./zip-names.ts";

export interface BatchProcessorDeps {
  db: Database;
  queue: JobQueue;
  runner: RemovalRunner;
  storage: Storage;
  now: () => Date;
  /** Recorded on each item this process completes (host:pid), to trace work across machines. */
  workerId: string;
}

type Outcome = { status: "completed"; resultKey: string; size: number; width: number; height: number; ms: number; provider: string } | { status: "failed"; message: string };

/**
 * What the workers do. Each step is idempotent: a redelivered or retried job (a worker killed
 * mid-item, two workers racing) never produces a second result, charge or refund.
 */
export class BatchProcessor {
  constructor(private readonly deps: BatchProcessorDeps) {}

  async processItem(job: QueuedJob<"batchItem">): Promise<void> {
    const { db, storage } = this.deps;
    const [item] = await db
      .update(backgroundRemovalJobs)
      .set({ status: "processing", attempts: sql`${backgroundRemovalJobs.attempts} + 1` })
      .where(and(eq(backgroundRemovalJobs.id, job.data.jobId), inArray(backgroundRemovalJobs.status, ["pending", "processing"])))
      .returning();
    if (!item) return; // settled already, or cancelled
    await db
      .update(backgroundRemovalBatches)
      .set({ status: "processing", startedAt: sql`coalesce(${backgroundRemovalBatches.startedAt}, now())` })
      .where(and(eq(backgroundRemovalBatches.id, item.batchId!), eq(backgroundRemovalBatches.status, "pending")));

    let outcome: Outcome;
    try {
      const started = performance.now();
      const result = await this.deps.runner.remove(await readObject(storage, item.originalFilePath), { tier: item.tier, format: "png" });
      const resultKey = storageKeys.result(item.userId, item.id, result.format);
      const size = await storage.put(resultKey, result.data);
      outcome = { status: "completed", resultKey, size, width: result.width, height: result.height, ms: Math.round(performance.now() - started), provider: result.provider ?? "local" };
    } catch (error) {
      const permanent = isEngineInputError(error);
      // Transient failures throw so the queue retries with backoff; the last attempt settles as failed.
      if (!permanent && job.retryCount < job.retryLimit) throw error;
      outcome = { status: "failed", message: error instanceof Error ? error.message : String(error) };
    }
    await this.settle(item, outcome);
  }

  /** Records an item's outcome and the batch's progress; after the last item, settles the batch's price and queues the ZIP. */
  private async settle(item: RemovalJob, outcome: Outcome): Promise<void> {
    const { db, now } = this.deps;
    await db.transaction(async (tx) => {
      const [batch] = await tx.select().from(backgroundRemovalBatches).where(eq(backgroundRemovalBatches.id, item.batchId!)).for("update");
      if (!batch) return;
      const [settled] = await tx
        .update(backgroundRemovalJobs)
        .set(
          outcome.status === "completed"
            ? {
                status: "completed",
                processedFilePath: outcome.resultKey,
                processedFileSize: outcome.size,
                width: outcome.width,
                height: outcome.height,
                format: "png",
                processingTimeMs: outcome.ms,
                modelName: item.tier,
                aiProvider: `${outcome.provider}@${this.deps.workerId}`,
                completedAt: now(),
              }
            : { status: "failed", errorMessage: outcome.message, completedAt: now() },
        )
        .where(and(eq(backgroundRemovalJobs.id, item.id), eq(backgroundRemovalJobs.status, "processing")))
        .returning();
      if (!settled) return; // another delivery settled it first
      const processed = batch.processedImages + (outcome.status === "completed" ? 1 : 0);
      const failed = batch.failedImages + (outcome.status === "failed" ? 1 : 0);
      await tx
        .update(backgroundRemovalBatches)
        .set({ processedImages: processed, failedImages: failed, progressPercent: progressPercent(processed + failed, batch.totalImages) })
        .where(eq(backgroundRemovalBatches.id, batch.id));
      await closeBatchIfSettled(tx, this.deps.queue, batch.id, now());
    });
  }

  /** Streams every result into one ZIP in storage, then completes the batch (a cancelled batch keeps its status and its progress). */
  async finalize(batchId: string): Promise<void> {
    const { db, storage, now } = this.deps;
    const [batch] = await db.select().from(backgroundRemovalBatches).where(eq(backgroundRemovalBatches.id, batchId));
    if (!batch || batch.zipFilePath) return;
    const done = await db
      .select()
      .from(backgroundRemovalJobs)
      .where(and(eq(backgroundRemovalJobs.batchId, batchId), eq(backgroundRemovalJobs.status, "completed")))
      .orderBy(asc(backgroundRemovalJobs.createdAt), asc(backgroundRemovalJobs.id));
    const zip = new yazl.ZipFile();
    const names = zipEntryNames(done.map((item) => item.originalFileName));
    done.forEach((item, index) => {
      // Lazy: each result is opened only when the ZIP reaches it, so 500 items never hold 500 files open.
      zip.addReadStreamLazy(names[index]!, { compress: false }, (callback) => {
        storage.get(item.processedFilePath!).then((stream) => callback(null, stream), (error: Error) => callback(error, undefined as never));
      });
    });
    zip.end();
    const key = storageKeys.batchZip(batch.userId, batchId);
    const size = await storage.put(key, zip.outputStream.pipe(new PassThrough()));
    // Completing the batch and queueing its callback commit together: a crash cannot lose the callback.
    await db.transaction(async (tx) => {
      const [completed] = await tx
        .update(backgroundRemovalBatches)
        .set({
          zipFilePath: key,
          zipFileSize: size,
          completedAt: now(),
          status: sql`case when ${backgroundRemovalBatches.status} = 'cancelled' then 'cancelled' when ${backgroundRemovalBatches.processedImages} = 0 then 'failed' else 'completed' end`,
        })
        .where(and(eq(backgroundRemovalBatches.id, batchId), sql`${backgroundRemovalBatches.zipFilePath} is null`))
        .returning();
      if (completed?.callbackUrl) await this.deps.queue.enqueue(tx, "batchCallback", [{ batchId }]);
      // The owner's mail commits with the final status: once, however often finalize is retried.
      const kind = completed ? batchNotificationKind(completed.status) : null;
      if (kind) await this.deps.queue.enqueue(tx, "notificationMail", [{ kind, batchId }]);
    });
  }
}

/** Items done (succeeded or failed) out of all; cancelled items are not done, so a cancelled batch never shows 100 %. */
export function progressPercent(done: number, total: number): number {
  return Math.floor((done * 100) / total);
}
