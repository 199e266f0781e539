import type { NotificationKind } from "@bgr/domain";

/**
 * Every queue of the product, its payload and its delivery policy, in one place. Start-up creates
 * each queue; a worker process must register exactly one handler per queue it serves.
 */
export const QUEUES = {
  /** One batch item: remove the background of one image. Several workers share a batch item by item. */
  batchItem: {
    name: "batch-item",
    // 3 attempts with exponential backoff for transient failures; a corrupt image fails at once (no throw).
    options: { retryLimit: 2, retryDelay: 2, retryBackoff: true },
  },
  /** Build the batch's ZIP once every item has settled. */
  batchFinalize: {
    name: "batch-finalize",
    options: { retryLimit: 4, retryDelay: 5, retryBackoff: true },
  },
  /** Signed POST to the batch owner's callback URL. */
  batchCallback: {
    name: "batch-callback",
    options: { retryLimit: 5, retryDelay: 10, retryBackoff: true },
  },
  /** One step of an Image Upscaler pipeline job (remove, upscale); each step is skipped once its output is stored. */
  pipelineStep: {
    name: "pipeline-step",
    options: { retryLimit: 3, retryDelay: 5, retryBackoff: true },
  },
  /** Signed POST to a single or pipeline job's callback URL once it settles. */
  jobCallback: {
    name: "job-callback",
    options: { retryLimit: 5, retryDelay: 10, retryBackoff: true },
  },
  /** A notification mail (batch, payment, plan), enqueued with the event it tells of; sent at most once per event. */
  notificationMail: {
    name: "notification-mail",
    options: { retryLimit: 5, retryDelay: 30, retryBackoff: true },
  },
  /** Ends subscriptions past their expiry and closes pending payments past theirs (every 5 minutes; idempotent). */
  subscriptionExpire: {
    name: "subscription-expire",
    options: { retryLimit: 2, retryDelay: 30, retryBackoff: true },
    cron: "*/5 * * * *",
  },
  /** Mails users whose plan renews or ends in RENEWAL_REMINDER_DAYS days (daily at 08:00 in Jakarta; a one-day window, so once per period). */
  subscriptionRemind: {
    name: "subscription-remind",
    options: { retryLimit: 2, retryDelay: 60, retryBackoff: true },
    cron: "0 1 * * *",
  },
  /** Charges renewals due for auto-renewing subscriptions, grace period on failure (hourly; idempotent). */
  subscriptionRenew: {
    name: "subscription-renew",
    options: { retryLimit: 2, retryDelay: 60, retryBackoff: true },
    cron: "7 * * * *",
  },
  /** Deletes originals, results and ZIPs past their keeping period (hourly; idempotent, batched, claim-safe across workers). */
  retentionSweep: {
    name: "retention-sweep",
    options: { retryLimit: 2, retryDelay: 60, retryBackoff: true },
    cron: "23 * * * *",
  },
} as const;

/** Queues drained by worker processes (engine work, and the callbacks it leads to). */
export type WorkerQueueKey = "batchItem" | "batchFinalize" | "batchCallback" | "pipelineStep" | "jobCallback" | "retentionSweep";
/** Queues run on a schedule by server processes (database work only). */
export type MaintenanceQueueKey = "subscriptionExpire" | "subscriptionRenew" | "subscriptionRemind";

/** Queues drained by server processes, which hold the mailer. */
export type ServerQueueKey = "notificationMail";

export type QueueKey = keyof typeof QUEUES;
/** Queues that run on a cron (maintenance in servers, retention in workers). */
export type ScheduledQueueKey = { [K in QueueKey]: (typeof QUEUES)[K] extends { cron: string } ? K : never }[QueueKey];

/** A notification mail, named by what it tells of; `periodEnd` (ISO) tells one plan period's mail from the next. */
export type NotificationMail =
  | { kind: Extract<NotificationKind, "batch_completed" | "batch_failed">; batchId: string }
  | { kind: "payment_settled"; paymentId: string }
  | { kind: Extract<NotificationKind, "subscription_renewing" | "subscription_expired">; subscriptionId: string; periodEnd: string };

export interface QueuePayloads {
  batchItem: { jobId: string };
  batchFinalize: { batchId: string };
  batchCallback: { batchId: string };
  pipelineStep: { jobId: string };
  jobCallback: { jobId: string };
  notificationMail: NotificationMail;
  subscriptionExpire: Record<string, never>;
  subscriptionRenew: Record<string, never>;
  subscriptionRemind: Record<string, never>;
  retentionSweep: Record<string, never>;
}
