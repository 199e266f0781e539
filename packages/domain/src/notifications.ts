import { DomainError } from "./errors.ts";

/** How long before a plan renews or ends its user is told. */
export const RENEWAL_REMINDER_DAYS = 3;

/** What the product mails users about; each kind can be turned off by its user (worded per language in apps/web/src/i18n). */
export const NOTIFICATION_KINDS = [
  "batch_completed",
  "batch_failed",
  "payment_settled",
  "subscription_renewing",
  "subscription_expired",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Validates a list of kinds from untrusted input; duplicates collapse, order follows NOTIFICATION_KINDS. */
export function parseNotificationKinds(values: readonly unknown[]): NotificationKind[] {
  const unknown = values.filter((value) => !(NOTIFICATION_KINDS as readonly unknown[]).includes(value));
  if (unknown.length > 0) {
    throw new DomainError(
      "INVALID_OPTIONS",
      `Unknown notification ${unknown.map((v) => JSON.stringify(v)).join(", ")}. Choose from: ${NOTIFICATION_KINDS.join(", ")}.`,
    );
  }
  return NOTIFICATION_KINDS.filter((kind) => values.includes(kind));
}

/** The mail a finished batch sends: the kind is the batch's final status, and only these two mail. */
export function batchNotificationKind(status: string): Extract<NotificationKind, "batch_completed" | "batch_failed"> | null {
  return status === "completed" ? "batch_completed" : status === "failed" ? "batch_failed" : null;
}
