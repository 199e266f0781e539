import type { BatchProcessor, CallbackDispatcher, QueueTask } from "@bgr/core";

type BatchQueueKey = "batchItem" | "batchFinalize" | "batchCallback";

export function batchHandlers(
  processor: BatchProcessor,
  callbacks: CallbackDispatcher,
): { [K in BatchQueueKey]: (task: QueueTask<K>) => Promise<void> } {
  return {
    batchItem: (task) => processor.processItem(task),
    batchFinalize: (task) => processor.finalize(task.data.batchId),
    batchCallback: async (task) => {
      await callbacks.batch(task.data.batchId);
    },
  };
}
