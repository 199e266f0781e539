import {
  BatchProcessor,
  CallbackDispatcher,
  PipelineProcessor,
  RetentionService,
  SubscriptionMaintenanceService,
  type MaintenanceQueueKey,
  type NotificationService,
  type QueueTask,
  type RetentionPolicy,
  type ServerQueueKey,
  type WorkerQueueKey,
} from "@bgr/core";
import { batchHandlers } from "./handlers/batch.ts";
import { jobHandlers } from "./handlers/jobs.ts";
import { notificationHandlers } from "./handlers/notifications.ts";
import { retentionHandlers } from "./handlers/retention.ts";
import { maintenanceHandlers } from "./handlers/subscriptions.ts";
import type { Infrastructure } from "./infrastructure.ts";

export interface WorkerProcessOptions {
  /** Batch items (and pipeline steps) processed at once by this process (one engine worker thread each): WORKER_CONCURRENCY. */
  itemConcurrency: number;
  /** Recorded on each item this process completes (host:pid), to trace work across machines. */
  workerId: string;
  /** Keeping periods of the files this process's retention sweep deletes. */
  retention: RetentionPolicy;
  /** Days a subscription keeps access after a missed renewal (SUBSCRIPTION_GRACE_DAYS). */
  graceDays: number;
}

/**
 * Starts a worker over this process's infrastructure: batch items, pipeline steps, callbacks, the
 * retention sweep and subscription upkeep. The worker daemon calls it, and so does the server in the
 * embedded default (or with RUN_WORKER=true); pg-boss keeps one schedule however many processes call it.
 */
export async function startWorkerProcess(infra: Infrastructure, options: WorkerProcessOptions): Promise<void> {
  const { database, queue, now } = infra;
  const callbacks = new CallbackDispatcher({
    db: database.db,
    signer: infra.signer,
    now,
    secret: infra.secrets.callbacks,
    sender: infra.callbackSender,
  });
  const handlers: { [K in WorkerQueueKey]: (job: QueueTask<K>) => Promise<void> } = {
    ...batchHandlers(
      new BatchProcessor({ db: database.db, queue, runner: infra.runner, storage: infra.storage, now, workerId: options.workerId }),
      callbacks,
    ),
    ...jobHandlers(
      new PipelineProcessor({
        db: database.db,
        runner: infra.runner,
        apps: infra.apps,
        storage: infra.storage,
        settlement: infra.settlement,
        sealer: infra.sealer,
      }),
      callbacks,
    ),
    ...retentionHandlers(new RetentionService({ db: database.db, storage: infra.storage, policy: options.retention }), now, infra.logger),
  };
  const concurrency: Record<WorkerQueueKey, number> = {
    batchItem: options.itemConcurrency,
    batchFinalize: 1,
    batchCallback: 2,
    pipelineStep: options.itemConcurrency,
    jobCallback: 2,
    retentionSweep: 1,
  };
  // Workers hold the storage, so they sweep it.
  await queue.schedule("retentionSweep");
  for (const key of Object.keys(handlers) as WorkerQueueKey[]) {
    await queue.work(key, concurrency[key], handlers[key] as (job: unknown) => Promise<void>);
  }
  const maintenance = new SubscriptionMaintenanceService({
    db: database.db,
    queue,
    provider: infra.paymentProvider,
    graceDays: options.graceDays,
  });
  const upkeep = maintenanceHandlers(maintenance, now);
  for (const key of Object.keys(upkeep) as MaintenanceQueueKey[]) {
    await queue.schedule(key);
    await queue.work(key, 1, upkeep[key]);
  }
}

/** Sends notification mail. Server processes call it: they hold the mailer (SMTP or the dev outbox). */
export async function startNotifications(infra: Pick<Infrastructure, "queue">, notifications: NotificationService): Promise<void> {
  const handlers = notificationHandlers(notifications);
  for (const key of Object.keys(handlers) as ServerQueueKey[]) {
    await infra.queue.work(key, 2, handlers[key] as (job: unknown) => Promise<void>);
  }
}
