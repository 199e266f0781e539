import type { NotificationService, QueueTask, ServerQueueKey } from "@bgr/core";

/** Notification mail; the service makes a retried job send nothing twice. */
export function notificationHandlers(notifications: NotificationService): { [K in ServerQueueKey]: (job: QueueTask<K>) => Promise<void> } {
  return {
    notificationMail: async (job) => {
      await notifications.deliver(job.data);
    },
  };
}
