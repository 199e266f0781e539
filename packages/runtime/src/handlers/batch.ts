import type { BatchProcessor, CallbackDispatcher, QueueTask } from "@bgr/core";

type BatchQueueKey = "batchItem" | "batchFinalize" | "batchCallback";

export function batchHandlers(
  processor: BatchProcessor,
  callbacks: CallbackDispatcher,
): { [K in BatchQueueKey]: (job: QueueTask<K>) => Promise<void> } {
  return {
    batchItem: (job) => processor.processItem(job),
    batchFinalize: (job) => processor.finalize(job.data.batchId),
    batchCallback: async (job) => {
      await callbacks.batch(job.data.batchId);
    },
  };
}
