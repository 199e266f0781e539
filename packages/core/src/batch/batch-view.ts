import type { RemovalBatch, Removal } from "@bgr/db";
import type { BatchPricing } from "@bgr/domain";
import { LINK_TTL_SECONDS, type WorkSource } from "../removal/removal-view.ts";
import type { UrlSigner } from "../storage/signed-url.ts";

/** A batch as clients see it: the fields of spec 3.2.2 and 3.2.3 together, plus its items for a live gallery. */
export interface BatchView {
  batchId: string;
  /** The owner's name for it; null when none was given (clients then name it after firstFileName and the count). */
  name: string | null;
  /** The first file in upload order (null only for batches without items). */
  firstFileName: string | null;
  status: RemovalBatch["status"];
  tier: RemovalBatch["tier"];
  totalImages: number;
  estimatedCompletionMinutes: number | null;
  createdAt: string;
  /** `percentage` counts items done (processed or failed); cancelled items are not done, so a cancelled batch stays below 100. */
  progress: { totalImages: number; processedImages: number; failedImages: number; cancelledImages: number; percentage: number };
  /**
   * The batch's quote (spec 3.2.2) plus `totalCredits` (= finalTotal, the name spec 3.2.3 uses), and
   * what it finally cost once every item settled: `refundedCredits` back, `netCredits` paid (the volume
   * price of the items that succeeded, never more than the quote); both null while items are open.
   */
  pricing: BatchPricing & { totalCredits: number; refundedCredits: number | null; netCredits: number | null };
  timing: { startedAt: string | null; estimatedCompletionAt: string | null };
  zipUrl: string | null;
  zipSizeBytes: number | null;
  /** When retention deleted the ZIP (its download then answers 410). */
  zipExpiredAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  /** The Lumiku app project the batch was made from, for batches started through an integration. */
  source: WorkSource | null;
  items?: {
    jobId: string;
    originalFileName: string;
    status: Removal["status"];
    processedUrl: string | null;
    errorMessage: string | null;
  }[];
}

export function toBatchView(batch: RemovalBatch, signer: UrlSigner, now: Date, items?: Removal[]): BatchView {
  const estimatedCompletionAt =
    batch.estimatedCompletionMinutes === null
      ? null
      : new Date((batch.startedAt ?? batch.createdAt).getTime() + batch.estimatedCompletionMinutes * 60_000).toISOString();
  return {
    batchId: batch.id,
    name: batch.name,
    firstFileName: batch.firstFileName,
    status: batch.status,
    tier: batch.tier,
    totalImages: batch.totalImages,
    estimatedCompletionMinutes: batch.estimatedCompletionMinutes,
    createdAt: batch.createdAt.toISOString(),
    progress: {
      totalImages: batch.totalImages,
      processedImages: batch.processedImages,
      failedImages: batch.failedImages,
      cancelledImages: batch.cancelledImages,
      percentage: batch.progressPercent,
    },
    pricing: {
      baseCreditsPerImage: batch.baseCreditsPerImage,
      baseTotal: batch.baseTotal,
      discountPercentage: batch.discountPercentage,
      discountAmount: batch.discountAmount,
      finalTotal: batch.finalTotal,
      creditsPerImageAfterDiscount: batch.creditsPerImageAfterDiscount,
      totalCredits: batch.finalTotal,
      refundedCredits: batch.refundedCredits,
      netCredits: batch.refundedCredits === null ? null : batch.finalTotal - batch.refundedCredits,
    },
    timing: { startedAt: batch.startedAt?.toISOString() ?? null, estimatedCompletionAt },
    zipUrl: batch.zipFilePath ? signer.sign(batch.zipFilePath, now, LINK_TTL_SECONDS) : null,
    zipSizeBytes: batch.zipFileSize,
    zipExpiredAt: batch.zipExpiredAt?.toISOString() ?? null,
    completedAt: batch.completedAt?.toISOString() ?? null,
    cancelledAt: batch.cancelledAt?.toISOString() ?? null,
    source: batch.sourceApp && batch.sourceRef ? { app: batch.sourceApp, ref: batch.sourceRef } : null,
    ...(items
      ? {
          items: items.map((item) => ({
            jobId: item.id,
            originalFileName: item.originalFileName,
            status: item.status,
            processedUrl: item.processedFilePath ? signer.sign(item.processedFilePath, now, LINK_TTL_SECONDS) : null,
            errorMessage: item.errorMessage,
          })),
        }
      : {}),
  };
}
