import type { PipelineOrder, Removal, SourceApp } from "@bgr/db";
import type { UrlSigner } from "../storage/signed-url.ts";

/** Links in responses stay valid this long; a client asks again for a fresh one. */
export const LINK_TTL_SECONDS = 3600;

/** The Lumiku app (and its id of the thing) that work came from through an integration endpoint. */
export interface WorkSource {
  app: SourceApp;
  ref: string;
}

/** A job as clients see it (spec 3.2.1 plus status), with expiring links instead of storage paths. */
export interface RemovalView {
  jobId: string;
  batchId: string | null;
  status: Removal["status"];
  tier: Removal["tier"];
  originalFileName: string;
  originalUrl: string;
  processedUrl: string | null;
  creditsUsed: number;
  pricingType: Removal["pricingType"];
  processingTimeMs: number | null;
  errorMessage: string | null;
  refunded: boolean;
  /** When retention deleted the files (their links then answer 410); the job's numbers stay. */
  filesExpiredAt: { original: string | null; result: string | null };
  metadata: { originalSize: number; processedSize: number | null; width: number | null; height: number | null; format: string | null };
  createdAt: string;
  completedAt: string | null;
  source: WorkSource | null;
  /** Image Upscaler pipelines: the first step's output and the final image (= processedUrl). */
  pipeline: { order: PipelineOrder; upscaleFactor: number; intermediateUrl: string | null; finalUrl: string | null } | null;
}

export function toRemovalView(job: Removal, signer: UrlSigner, now: Date): RemovalView {
  return {
    jobId: job.id,
    batchId: job.batchId,
    status: job.status,
    tier: job.tier,
    originalFileName: job.originalFileName,
    originalUrl: signer.sign(job.originalFilePath, now, LINK_TTL_SECONDS),
    processedUrl: job.processedFilePath ? signer.sign(job.processedFilePath, now, LINK_TTL_SECONDS) : null,
    creditsUsed: job.creditUsed,
    pricingType: job.pricingType,
    processingTimeMs: job.processingTimeMs,
    errorMessage: job.errorMessage,
    refunded: job.refundedAt !== null,
    filesExpiredAt: { original: job.originalExpiredAt?.toISOString() ?? null, result: job.resultExpiredAt?.toISOString() ?? null },
    metadata: {
      originalSize: job.originalFileSize,
      processedSize: job.processedFileSize,
      width: job.width,
      height: job.height,
      format: job.format,
    },
    createdAt: job.createdAt.toISOString(),
    completedAt: job.completedAt?.toISOString() ?? null,
    source: job.sourceApp && job.sourceRef ? { app: job.sourceApp, ref: job.sourceRef } : null,
    pipeline: job.pipeline
      ? {
          order: job.pipeline.order,
          upscaleFactor: job.pipeline.upscaleFactor,
          intermediateUrl: job.pipeline.intermediatePath ? signer.sign(job.pipeline.intermediatePath, now, LINK_TTL_SECONDS) : null,
          finalUrl: job.processedFilePath ? signer.sign(job.processedFilePath, now, LINK_TTL_SECONDS) : null,
        }
      : null,
  };
}
