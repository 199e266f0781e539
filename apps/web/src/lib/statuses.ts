import { i18n } from "../i18n/i18n.ts";

const STATUSES = ["pending", "processing", "completed", "failed", "cancelled"] as const;
type Status = (typeof STATUSES)[number];

function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value);
}

/** A job's or batch's status as a word ("Completed"); an unknown one from the server is shown as it came. */
export function statusLabel(status: string): string {
  return isStatus(status) ? i18n.t(`status.${status}`) : status;
}
