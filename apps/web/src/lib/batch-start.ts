import { i18n } from "../i18n/i18n.ts";
import { MAX_BATCH_FILES, MIN_BATCH_FILES } from "./file-checks.ts";

export interface BatchStartFacts {
  acceptedCount: number;
  /** The server's quote for the accepted files; undefined while it is being asked. */
  totalCredits: number | undefined;
  balance: number | undefined;
  /** An image background is chosen but no image yet. */
  backgroundImageMissing?: boolean;
}

/**
 * Why "Start batch" cannot be pressed yet, in words for the button's description; null when it can.
 * Checked before the upload, so nobody sends 500 images to be told "not enough credits".
 */
export function batchStartBlocker({ acceptedCount, totalCredits, balance, backgroundImageMissing }: BatchStartFacts): string | null {
  if (acceptedCount === 0) return i18n.t("batch.blockers.empty");
  if (acceptedCount < MIN_BATCH_FILES) return i18n.t("batch.blockers.tooFew", { min: MIN_BATCH_FILES });
  if (acceptedCount > MAX_BATCH_FILES) return i18n.t("batch.blockers.tooMany", { max: MAX_BATCH_FILES });
  if (totalCredits === undefined || balance === undefined) return i18n.t("batch.blockers.pricing");
  if (balance < totalCredits) return i18n.t("batch.blockers.credits", { needed: totalCredits, balance });
  if (backgroundImageMissing) return i18n.t("batch.blockers.backgroundImage");
  return null;
}
