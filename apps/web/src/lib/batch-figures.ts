import { formatCredits } from "./format.ts";

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
  const progressLine =
    progress.cancelledImages > 0
      ? `${done} of ${progress.totalImages} done · ${progress.cancelledImages} cancelled`
      : `${progress.percentage} % · ${done} of ${progress.totalImages}`;
  const refunded = pricing.refundedCredits ?? 0;
  const creditsLine =
    pricing.netCredits === null
      ? formatCredits(pricing.totalCredits)
      : refunded > 0
        ? `${formatCredits(pricing.netCredits)} (${formatCredits(refunded)} refunded)`
        : formatCredits(pricing.netCredits);
  return { progressLine, creditsLine };
}
