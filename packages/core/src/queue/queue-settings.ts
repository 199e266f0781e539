import os from "node:os";
import { z } from "zod";

/** How a process takes queue tasks and lets them go, as environment variables. */
export const queueSettingsSchema = z.object({
  /**
   * Batch items processed at once by a process's worker (a worker process, or a server running one
   * in-process); default one per two cores, as each item's inference uses two threads.
   */
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .default(Math.max(1, Math.floor(os.availableParallelism() / 2))),
  /**
   * The queue's lease: a task whose worker stops renewing it (killed) is retried this long after its
   * last renewal. Running handlers renew every third of it, so it bounds recovery, not item length.
   */
  QUEUE_EXPIRE_SECONDS: z.coerce.number().int().min(3).default(30),
  /**
   * On SIGTERM, how long in-flight requests and running batch items may finish; items still running
   * then are given back to the queue for another worker. Below the orchestrator's kill timeout (30 s).
   */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(25),
});
