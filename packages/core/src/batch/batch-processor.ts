import { PassThrough } from "node:stream";
import type { Database, RemovalJob } from "@bgr/db";
import { batchNotificationKind, finalBatchStatus, progressPercent } from "@bgr/domain";
import yazl from "yazl";
import type { JobQueue, QueuedJob } from "../queue/job-queue.ts";
import { isEngineInputError } from "../removal/engine-errors.ts";
import { matteColumns } from "../removal/removal.repository.ts";
import type { RemovalRunner } from "../removal/removal.service.ts";
import { readObject, storageKeys, type Storage } from "../storage/storage.ts";
import { itemLayout } from "./batch-layout.ts";
import { closeBatchIfSettled } from "./batch-settlement.ts";
import { batchRepository, type ItemOutcome } from "./batch.repository.ts";
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

/**
 * What the workers do. Each step is idempotent: a redelivered or retried job (a worker killed
 * mid-item, two workers racing) never produces a second result, charge or refund.
 */
export class BatchProcessor {
  constructor(private readonly deps: BatchProcessorDeps) {}

  async processItem(job: QueuedJob<"batchItem">): Promise<void> {
    const { db, storage } = this.deps;
    const item = await batchRepository.claimItem(db, job.data.jobId);
    if (!item) return; // settled already, or cancelled
    await batchRepository.markStarted(db, item.batchId!);

    let outcome: ItemOutcome;
    try {
      const started = performance.now();
      // A batch's options (background, crop, format) are its items' layout; without them, plain PNGs.
      const layout = await itemLayout(storage, item.outputOptions);
      const result = await this.deps.runner.remove(
        await readObject(storage, item.originalFilePath),
        layout ? { tier: item.tier, layout } : { tier: item.tier, format: "png" },
      );
      const resultKey = storageKeys.result(item.userId, item.id, result.format);
      const size = await storage.put(resultKey, result.data);
      outcome = {
        status: "completed",
        processedFilePath: resultKey,
        processedFileSize: size,
        format: result.format,
        width: result.width,
        height: result.height,
        processingTimeMs: Math.round(performance.now() - started),
        ...matteColumns(result.provider ?? "local"),
        workerId: this.deps.workerId,
      };
    } catch (error) {
      const permanent = isEngineInputError(error);
      // Transient failures throw so the queue retries with backoff; the last attempt settles as failed.
      if (!permanent && job.retryCount < job.retryLimit) throw error;
      outcome = { status: "failed", errorMessage: error instanceof Error ? error.message : String(error) };
    }
    await this.settle(item, outcome);
  }

  /** Records an item's outcome and the batch's progress; after the last item, settles the batch's price and queues the ZIP. */
  private async settle(item: RemovalJob, outcome: ItemOutcome): Promise<void> {
    const { db, now } = this.deps;
    await db.transaction(async (tx) => {
      const batch = await batchRepository.lock(tx, item.batchId!);
      if (!batch) return;
      const settled = await batchRepository.settleItem(tx, item.id, outcome, now());
      if (!settled) return; // another delivery settled it first
      const processedImages = batch.processedImages + (outcome.status === "completed" ? 1 : 0);
      const failedImages = batch.failedImages + (outcome.status === "failed" ? 1 : 0);
      await batchRepository.recordProgress(tx, batch.id, {
        processedImages,
        failedImages,
        progressPercent: progressPercent(processedImages + failedImages, batch.totalImages),
      });
      await closeBatchIfSettled(tx, this.deps.queue, batch.id, now());
    });
  }

  /** Streams every result into one ZIP in storage, then completes the batch (a cancelled batch keeps its status and its progress). */
  async finalize(batchId: string): Promise<void> {
    const { db, storage, now } = this.deps;
    const batch = await batchRepository.find(db, batchId);
    if (!batch || batch.zipFilePath) return;
    const done = await batchRepository.completedItems(db, batchId);
    const zip = new yazl.ZipFile();
    const names = zipEntryNames(done.map((item) => ({ originalName: item.originalFileName, extension: item.format ?? "png" })));
    done.forEach((item, index) => {
      // Lazy: each result is opened only when the ZIP reaches it, so 500 items never hold 500 files open.
      zip.addReadStreamLazy(names[index]!, { compress: false }, (callback) => {
        storage.get(item.processedFilePath!).then(
          (stream) => callback(null, stream),
          (error: Error) => callback(error, undefined as never),
        );
      });
    });
    zip.end();
    const key = storageKeys.batchZip(batch.userId, batchId);
    const size = await storage.put(key, zip.outputStream.pipe(new PassThrough()));
    // Completing the batch and queueing its callback commit together: a crash cannot lose the callback.
    await db.transaction(async (tx) => {
      // Locked, so a cancel cannot change the status between reading it and writing the final one.
      const current = await batchRepository.lock(tx, batchId);
      if (!current || current.zipFilePath) return;
      const completed = await batchRepository.complete(tx, batchId, { key, size }, finalBatchStatus(current), now());
      if (completed?.callbackUrl) await this.deps.queue.enqueue(tx, "batchCallback", [{ batchId }]);
      // The owner's mail commits with the final status: once, however often finalize is retried.
      const kind = completed ? batchNotificationKind(completed.status) : null;
      if (kind) await this.deps.queue.enqueue(tx, "notificationMail", [{ kind, batchId }]);
    });
    // Every item is settled: nothing reads the batch's background image again.
    await storage.delete(storageKeys.batchBackground(batch.userId, batchId));
  }
}
