import type { BatchProcessor, BatchQueueKey, QueuedJob } from "@bgr/core";

/** One handler per batch queue; a queue without one is a compile error, not a silent backlog. */
export function batchHandlers(processor: BatchProcessor): { [K in BatchQueueKey]: (job: QueuedJob<K>) => Promise<void> } {
  return {
    batchItem: (job) => processor.processItem(job),
    batchFinalize: (job) => processor.finalize(job.data.batchId),
    batchCallback: (job) => processor.sendCallback(job.data.batchId),
  };
}
