import type { Database, Removal } from "@bgr/db";
import { formatMatteSource } from "@bgr/domain";
import { probeImage } from "@bgr/engine";
import { SiblingAppError, type LumikuApps } from "@bgr/integrations";
import sharp from "sharp";
import type { RemovalSettlementService } from "../removal/removal-settlement.service.ts";
import type { QueueTask } from "../queue/task-queue.ts";
import { isEngineInputError } from "../removal/engine-errors.ts";
import { removalRepository } from "../removal/removal.repository.ts";
import type { RemovalRunner } from "../removal/removal.service.ts";
import { readObject, storageKeys, type Storage } from "../storage/storage.ts";
import type { AuthorizationSealer } from "./sealed-authorization.ts";

export interface PipelineProcessorDeps {
  db: Database;
  runner: RemovalRunner;
  apps: LumikuApps;
  storage: Storage;
  settlement: RemovalSettlementService;
  sealer: AuthorizationSealer;
}

/** An upscaled image may exceed the 10 MB import cap (4× a photo); the engine's pixel limit still bounds what the removal accepts. */
const UPSCALED_IMAGE_MAX_BYTES = 64 * 1024 * 1024;

/** A step's stored output. */
interface StepOutput {
  key: string;
  bytes: Buffer;
  provider: string;
}

/**
 * Runs an Image Upscaler pipeline job: the removal (ours, charged once when the job was accepted)
 * and the upscale (the upscaler's, which bills it). The first step's output is recorded on the job, so a
 * retry resumes after it; the upscaler gets the same Idempotency-Key on every attempt, so a retry
 * never buys a second upscale.
 */
export class PipelineProcessor {
  constructor(private readonly deps: PipelineProcessorDeps) {}

  async run(task: QueueTask<"pipelineStep">): Promise<void> {
    const job = await removalRepository.claimPipelineStep(this.deps.db, task.data.jobId);
    if (!job?.pipeline) return; // settled already
    const started = performance.now();
    try {
      const original = await readObject(this.deps.storage, job.originalFilePath);
      const removeFirst = job.pipeline.order === "remove-then-upscale";
      const first = job.pipeline.intermediatePath
        ? {
            key: job.pipeline.intermediatePath,
            bytes: await readObject(this.deps.storage, job.pipeline.intermediatePath),
            provider: job.aiProvider ? formatMatteSource({ provider: job.aiProvider, model: job.modelName }) : "local",
          }
        : await this.recordIntermediate(
            job,
            removeFirst ? await this.removeStep(job, original, "intermediate") : await this.upscaleStep(job, original, "intermediate"),
          );
      const final = removeFirst ? await this.upscaleStep(job, first.bytes, "result") : await this.removeStep(job, first.bytes, "result");
      const { width, height, format } = await probeImage(final.bytes);
      await this.deps.settlement.complete(job, {
        key: final.key,
        size: final.bytes.length,
        width,
        height,
        format,
        processingTimeMs: Math.round(performance.now() - started),
        provider: removeFirst ? first.provider : final.provider,
      });
    } catch (error) {
      // Transient failures throw so the queue retries with backoff; the last attempt settles as failed.
      if (!isPermanent(error) && task.retryCount < task.retryLimit) throw error;
      await this.deps.settlement.failAndRefund(job, error);
    }
  }

  private async removeStep(job: Removal, input: Buffer, stage: "intermediate" | "result"): Promise<StepOutput> {
    const result = await this.deps.runner.remove(input, { tier: job.tier, format: "png" });
    return this.store(job, stage, Buffer.from(result.data), result.provider ?? "local");
  }

  private async upscaleStep(job: Removal, input: Buffer, stage: "intermediate" | "result"): Promise<StepOutput> {
    if (!job.sealedAuthorization) throw new Error("The caller's credentials for the upscaler are gone; start the pipeline again.");
    const authorization = this.deps.sealer.open(job.sealedAuthorization);
    const upscaled = await this.deps.apps.upscale({
      // The upscaler's contract takes PNG; EXIF orientation is applied so the result is upright.
      bytes: await sharp(input).rotate().png().toBuffer(),
      fileName: job.originalFileName,
      factor: job.pipeline!.upscaleFactor,
      idempotencyKey: `${job.id}:upscale`,
      authorization,
    });
    const { bytes } = await this.deps.apps.download("image-upscaler", upscaled, authorization, { maxBytes: UPSCALED_IMAGE_MAX_BYTES });
    return this.store(job, stage, bytes, "image-upscaler");
  }

  private async store(job: Removal, stage: "intermediate" | "result", bytes: Buffer, provider: string): Promise<StepOutput> {
    const { format } = await probeImage(bytes);
    const key = storageKeys[stage](job.userId, job.id, format === "jpeg" ? "jpg" : format);
    await this.deps.storage.put(key, bytes);
    return { key, bytes, provider };
  }

  private async recordIntermediate(job: Removal, output: StepOutput): Promise<StepOutput> {
    await removalRepository.recordPipelineStep(this.deps.db, job.id, { ...job.pipeline!, intermediatePath: output.key }, output.provider);
    return output;
  }
}

/** Failures a retry cannot fix: the image itself, or the sibling saying no. */
function isPermanent(error: unknown): boolean {
  if (isEngineInputError(error)) return true;
  return error instanceof SiblingAppError && ["not-configured", "not-found", "forbidden", "refused", "bad-image"].includes(error.kind);
}
