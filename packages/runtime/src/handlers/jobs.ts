import type { CallbackDispatcher, PipelineProcessor, QueueTask } from "@bgr/core";

type RemovalTaskKey = "pipelineStep" | "jobCallback";

/** Single and pipeline removals: the Image Upscaler pipeline's steps, and callbacks when a removal settles. */
export function jobHandlers(
  pipelines: PipelineProcessor,
  callbacks: CallbackDispatcher,
): { [K in RemovalTaskKey]: (task: QueueTask<K>) => Promise<void> } {
  return {
    pipelineStep: (task) => pipelines.run(task),
    jobCallback: async (task) => {
      await callbacks.job(task.data.jobId);
    },
  };
}
