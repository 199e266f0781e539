/** How a batch ends and how far along it is: rules the batch repository and the views share. */

/** The statuses a batch can end in (a subset of the row's statuses). */
export type FinalBatchStatus = "completed" | "failed" | "cancelled";

/**
 * A finished batch's status: a cancelled one stays cancelled (with whatever it did), one that
 * produced no image failed, and any other completed (its failed items are refunded separately).
 */
export function finalBatchStatus(batch: { status: string; processedImages: number }): FinalBatchStatus {
  if (batch.status === "cancelled") return "cancelled";
  return batch.processedImages === 0 ? "failed" : "completed";
}

/** Items done (succeeded or failed) out of all; cancelled items are not done, so a cancelled batch never shows 100 %. */
export function progressPercent(done: number, total: number): number {
  return Math.floor((done * 100) / total);
}
