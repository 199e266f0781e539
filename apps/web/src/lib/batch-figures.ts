import { i18n } from "../i18n/i18n.ts";
import { formatCredits, formatNumber } from "./format.ts";

/** The parts of a batch its figures are made of (the server's batch view). */
export interface BatchFacts {
  progress: { totalImages: number; processedImages: number; failedImages: number; cancelledImages: number; percentage: number };
  pricing: { totalCredits: number; refundedCredits: number | null; netCredits: number | null };
}

/**
 * What a batch did and cost, told straight: a cancelled batch says how many were done and how many
 * cancelled (not "100 %"), and the price is what was finally paid, with the refund beside it.
 */
export function batchFigures({ progress, pricing }: BatchFacts): { progressLine: string; creditsLine: string } {
  const done = progress.processedImages + progress.failedImages;
  const total = formatNumber(progress.totalImages);
  const progressLine =
    progress.cancelledImages > 0
      ? i18n.t("batch.figures.cancelled", { done: formatNumber(done), total, cancelled: formatNumber(progress.cancelledImages) })
      : i18n.t("batch.figures.running", { percent: formatNumber(progress.percentage), done: formatNumber(done), total });
  const refunded = pricing.refundedCredits ?? 0;
  const creditsLine =
    pricing.netCredits === null
      ? formatCredits(pricing.totalCredits)
      : refunded > 0
        ? i18n.t("batch.figures.refunded", { net: formatCredits(pricing.netCredits), refunded: formatCredits(refunded) })
        : formatCredits(pricing.netCredits);
  return { progressLine, creditsLine };
}
