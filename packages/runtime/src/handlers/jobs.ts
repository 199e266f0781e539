import type { CallbackDispatcher, PipelineProcessor, QueueTask } from "@bgr/core";

type RemovalTaskKey = "pipelineStep" | "jobCallback";

/** Single and pipeline jobs: the Image Upscaler pipeline's steps, and callbacks when a job settles. */
export function jobHandlers(
  pipelines: PipelineProcessor,
  callbacks: CallbackDispatcher,
): { [K in RemovalTaskKey]: (job: QueueTask<K>) => Promise<void> } {
  return {
    pipelineStep: (job) => pipelines.run(job),
    jobCallback: async (job) => {
      await callbacks.job(job.data.jobId);
    },
  };
}
