import type { NotificationService, QueueTask, ServerQueueKey } from "@bgr/core";

/** Notification mail; the service makes a retried task send nothing twice. */
export function notificationHandlers(notifications: NotificationService): { [K in ServerQueueKey]: (task: QueueTask<K>) => Promise<void> } {
  return {
    notificationMail: async (task) => {
      await notifications.deliver(task.data);
    },
  };
}
