import type { BatchProcessor, JobQueue, QueueKey } from "@bgr/core";
import { batchHandlers } from "./handlers/batch.ts";

export interface WorkerOptions {
  /** Batch items processed at once by this process (one engine worker thread each). */
  itemConcurrency: number;
}

/** Starts this process's queue workers: the worker daemon calls it, and the server in its embedded default. */
export async function startWorkers(queue: JobQueue, processor: BatchProcessor, options: WorkerOptions): Promise<void> {
  const handlers = batchHandlers(processor);
  const concurrency: Record<QueueKey, number> = { batchItem: options.itemConcurrency, batchFinalize: 1, batchCallback: 2 };
  for (const key of Object.keys(handlers) as QueueKey[]) {
    await queue.work(key, concurrency[key], handlers[key] as (job: unknown) => Promise<void>);
  }
}
