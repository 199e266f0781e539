import type { MaintenanceQueueKey, SubscriptionMaintenanceService } from "@bgr/core";

/** Scheduled subscription upkeep; each run is idempotent, so overlapping runs in two processes are harmless. */
export function maintenanceHandlers(
  maintenance: SubscriptionMaintenanceService,
  now: () => Date,
): { [K in MaintenanceQueueKey]: () => Promise<void> } {
  return {
    subscriptionExpire: async () => {
      await maintenance.expireDue(now());
      await maintenance.expirePayments(now());
    },
    subscriptionRemind: async () => {
      await maintenance.remindDue(now());
    },
    subscriptionRenew: async () => {
      await maintenance.renewDue(now());
    },
  };
}
