import { MAX_BATCH_FILES, MIN_BATCH_FILES } from "./file-checks.ts";

export interface BatchStartFacts {
  acceptedCount: number;
  /** The server's quote for the accepted files; undefined while it is being asked. */
  totalCredits: number | undefined;
  balance: number | undefined;
}

/**
 * Why "Start batch" cannot be pressed yet, in words for the button's description; null when it can.
 * Checked before the upload, so nobody sends 500 images to be told "not enough credits".
 */
export function batchStartBlocker({ acceptedCount, totalCredits, balance }: BatchStartFacts): string | null {
  if (acceptedCount === 0) return "Add images to start a batch.";
  if (acceptedCount < MIN_BATCH_FILES) return `A batch needs at least ${MIN_BATCH_FILES} images; for one image use Single.`;
  if (acceptedCount > MAX_BATCH_FILES) return `A batch holds at most ${MAX_BATCH_FILES} images.`;
  if (totalCredits === undefined || balance === undefined) return "Working out the price…";
  if (balance < totalCredits) return `Not enough credits: this batch needs ${totalCredits}, you have ${balance}. Buy credits or remove some images.`;
  return null;
}
