import {
  BatchProcessor,
  CallbackDispatcher,
  type CallbackSender,
  PipelineProcessor,
  RetentionService,
  type RetentionPolicy,
  type AuthorizationSealer,
  type JobQueue,
  type JobSettlement,
  type MaintenanceQueueKey,
  type NotificationService,
  type ServerQueueKey,
  type QueuedJob,
  type RemovalRunner,
  type Storage,
  type SubscriptionMaintenance,
  type UrlSigner,
  type WorkerQueueKey,
} from "@bgr/core";
import type { Database } from "@bgr/db";
import type { LumikuApps } from "@bgr/integrations";
import { batchHandlers } from "./handlers/batch.ts";
import { jobHandlers } from "./handlers/jobs.ts";
import { notificationHandlers } from "./handlers/notifications.ts";
import { retentionHandlers } from "./handlers/retention.ts";
import { maintenanceHandlers } from "./handlers/subscriptions.ts";

export interface WorkerOptions {
  /** Batch items (and pipeline steps) processed at once by this process (one engine worker thread each). */
  itemConcurrency: number;
}

/** What a worker process needs; the worker daemon and the embedded server build it from their own singletons. */
export interface WorkerDeps {
  db: Database;
  queue: JobQueue;
  runner: RemovalRunner;
  storage: Storage;
  signer: UrlSigner;
  now: () => Date;
  settlement: JobSettlement;
  apps: LumikuApps;
  sealer: AuthorizationSealer;
  callbackSecret: string;
  /** The guarded HTTP client callbacks go through (its owner closes it). */
  callbackSender: CallbackSender;
  /** Recorded on each item this process completes (host:pid), to trace work across machines. */
  workerId: string;
  /** Keeping periods of the files this process's retention sweep deletes. */
  retention: RetentionPolicy;
}

/** Starts this process's workers, one handler per worker queue: the worker daemon calls it, and the server in its embedded default. */
export async function startWorkers(deps: WorkerDeps, options: WorkerOptions): Promise<void> {
  const callbacks = new CallbackDispatcher({ db: deps.db, signer: deps.signer, now: deps.now, secret: deps.callbackSecret, sender: deps.callbackSender });
  const handlers: { [K in WorkerQueueKey]: (job: QueuedJob<K>) => Promise<void> } = {
    ...batchHandlers(new BatchProcessor(deps), callbacks),
    ...jobHandlers(new PipelineProcessor(deps), callbacks),
    ...retentionHandlers(new RetentionService({ db: deps.db, storage: deps.storage, policy: deps.retention }), deps.now),
  };
  const concurrency: Record<WorkerQueueKey, number> = {
    batchItem: options.itemConcurrency,
    batchFinalize: 1,
    batchCallback: 2,
    pipelineStep: options.itemConcurrency,
    jobCallback: 2,
    retentionSweep: 1,
  };
  // Workers hold the storage, so they sweep it; pg-boss keeps one schedule however many workers call this.
  await deps.queue.schedule("retentionSweep");
  for (const key of Object.keys(handlers) as WorkerQueueKey[]) {
    await deps.queue.work(key, concurrency[key], handlers[key] as (job: unknown) => Promise<void>);
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

/** Sends notification mail. Server processes call it: they hold the mailer (SMTP or the dev outbox). */
export async function startNotifications(queue: JobQueue, notifications: NotificationService): Promise<void> {
  const handlers = notificationHandlers(notifications);
  for (const key of Object.keys(handlers) as ServerQueueKey[]) {
    await queue.work(key, 2, handlers[key] as (job: unknown) => Promise<void>);
  }
}
