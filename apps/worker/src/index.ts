import type { BatchProcessor, BatchQueueKey, JobQueue, MaintenanceQueueKey, SubscriptionMaintenance } from "@bgr/core";
import { batchHandlers } from "./handlers/batch.ts";
import { maintenanceHandlers } from "./handlers/subscriptions.ts";

export interface WorkerOptions {
  /** Batch items processed at once by this process (one engine worker thread each). */
  itemConcurrency: number;
}

/** Starts this process's batch workers: the worker daemon calls it, and the server in its embedded default. */
export async function startWorkers(queue: JobQueue, processor: BatchProcessor, options: WorkerOptions): Promise<void> {
  const handlers = batchHandlers(processor);
  const concurrency: Record<BatchQueueKey, number> = { batchItem: options.itemConcurrency, batchFinalize: 1, batchCallback: 2 };
  for (const key of Object.keys(handlers) as BatchQueueKey[]) {
    await queue.work(key, concurrency[key], handlers[key] as (job: unknown) => Promise<void>);
  }
}

/**
 * Schedules and runs subscription upkeep. Server processes call it (it needs the payment provider,
 * not the engine); pg-boss keeps one schedule however many servers run.
 */
export async function startMaintenance(queue: JobQueue, maintenance: SubscriptionMaintenance, now: () => Date): Promise<void> {
  const handlers = maintenanceHandlers(maintenance, now);
  for (const key of Object.keys(handlers) as MaintenanceQueueKey[]) {
    await queue.schedule(key);
    await queue.work(key, 1, handlers[key]);
  }
}
