import { backgroundRemovalJobs, newId, type Database, type RemovalJob } from "@bgr/db";
import { assertFileSize, busy, DEFAULT_QUOTA_TIME_ZONE, DomainError, parseTier, SINGLE_LIMITS } from "@bgr/domain";
import {
  EngineBusyError,
  InvalidImageError,
  InvalidOptionsError,
  probeImage,
  validateRemoveOptions,
  type RemovalResult,
  type RemoveOptions,
} from "@bgr/engine";
import { eq } from "drizzle-orm";
import { creditLedgerService } from "../credits/credit-ledger.ts";
import { lockUser } from "../users/user-lock.ts";
import { assertWithinRateLimit, type RateLimit } from "../rate-limit/rate-limiter.ts";
import { storageKeys, type Storage } from "../storage/storage.ts";
import type { UrlSigner } from "../storage/signed-url.ts";
import { toJobView, type JobView } from "../jobs/job-view.ts";
import { returnQuota, useQuotaOrDecideCredits } from "../subscriptions/quota.ts";

/** Anything that turns image bytes into a removal result: the engine pool, or a remote provider. */
export interface RemovalRunner {
  remove(bytes: Uint8Array, options: RemoveOptions): Promise<RemovalResult>;
}

export interface RemovalServiceDeps {
  db: Database;
  runner: RemovalRunner;
  storage: Storage;
  signer: UrlSigner;
  now: () => Date;
  singleRateLimit: RateLimit;
  /** QUOTA_TIMEZONE: the subscription quota day starts at midnight there (default UTC). */
  quotaTimeZone?: string;
}

export interface SingleRemovalRequest {
  userId: string;
  fileName: string;
  bytes: Uint8Array;
  tier: string;
  options?: Omit<RemoveOptions, "tier">;
}

/**
 * Single-image removal, money first: the debit, the job row and its ledger row commit together
 * BEFORE the work; if the work fails the job is marked failed and a refund row puts the credits back.
 */
export class RemovalService {
  constructor(private readonly deps: RemovalServiceDeps) {}

  private get quotaTimeZone(): string {
    return this.deps.quotaTimeZone ?? DEFAULT_QUOTA_TIME_ZONE;
  }

  async removeSingle(request: SingleRemovalRequest): Promise<JobView> {
    const { db, storage, now } = this.deps;
    // Everything that can be refused for free is refused before money moves.
    const tier = parseTier(request.tier);
    assertFileSize(request.bytes.length, SINGLE_LIMITS);
    const options: RemoveOptions = { ...request.options, tier };
    const probe = await asDomainErrors(async () => {
      validateRemoveOptions(options);
      return probeImage(request.bytes);
    });

    const jobId = newId("job");
    const originalKey = storageKeys.original(request.userId, jobId, probe.format === "jpeg" ? "jpg" : probe.format);
    await storage.put(originalKey, request.bytes);
    let job: RemovalJob;
    try {
      job = await db.transaction(async (tx) => {
        await lockUser(tx, request.userId);
        // One instant for the whole decision, so the job lands in the quota day its use was counted in.
        const at = now();
        await assertWithinRateLimit(tx, request.userId, this.deps.singleRateLimit, at);
        const decision = await useQuotaOrDecideCredits(tx, { userId: request.userId, tier, now: at, timeZone: this.quotaTimeZone });
        const credits = decision.pay === "credits" ? decision.credits : 0;
        if (credits > 0) {
          await creditLedgerService.debit(tx, {
            userId: request.userId,
            amount: credits,
            reason: "removal",
            referenceType: "background_removal_job",
            referenceId: jobId,
            idempotencyKey: `debit:job:${jobId}`,
          });
        }
        const [row] = await tx
          .insert(backgroundRemovalJobs)
          .values({
            id: jobId,
            userId: request.userId,
            originalFileName: request.fileName,
            originalFilePath: originalKey,
            originalFileSize: request.bytes.length,
            tier,
            status: "processing",
            creditUsed: credits,
            pricingType: decision.pay,
            aiProvider: "local",
            outputOptions: { ...request.options },
            createdAt: at,
          })
          .returning();
        return row!;
      });
    } catch (error) {
      await storage.delete(originalKey);
      throw error;
    }
    return this.process(job, request.bytes, options);
  }

  private async process(job: RemovalJob, bytes: Uint8Array, options: RemoveOptions): Promise<JobView> {
    const { db, storage, now } = this.deps;
    let result: RemovalResult;
    try {
      result = await this.deps.runner.remove(bytes, options);
    } catch (error) {
      await this.failAndRefund(job, error);
      if (error instanceof EngineBusyError) throw busy(5);
      throw toDomainError(error) ?? error;
    }
    const resultKey = storageKeys.result(job.userId, job.id, result.format);
    const size = await storage.put(resultKey, result.data);
    const [done] = await db
      .update(backgroundRemovalJobs)
      .set({
        status: "completed",
        processedFilePath: resultKey,
        processedFileSize: size,
        processingTimeMs: Math.round(result.timings.totalMs),
        width: result.width,
        height: result.height,
        format: result.format,
        modelName: job.tier,
        completedAt: now(),
      })
      .where(eq(backgroundRemovalJobs.id, job.id))
      .returning();
    return toJobView(done!, this.deps.signer, now());
  }

  /** Marks the job failed and refunds it (credits, or the subscription's quota use), exactly once whatever retries happen. */
  async failAndRefund(job: RemovalJob, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.deps.db.transaction(async (tx) => {
      await tx
        .update(backgroundRemovalJobs)
        .set({ status: "failed", errorMessage: message, completedAt: this.deps.now() })
        .where(eq(backgroundRemovalJobs.id, job.id));
      if (job.pricingType === "subscription") {
        await returnQuota(tx, job, this.deps.now(), this.quotaTimeZone);
        return;
      }
      if (job.creditUsed === 0) return;
      const refunded = await creditLedgerService.credit(tx, {
        userId: job.userId,
        amount: job.creditUsed,
        reason: "refund",
        referenceType: "background_removal_job",
        referenceId: job.id,
        idempotencyKey: `refund:job:${job.id}`,
      });
      if (refunded) await tx.update(backgroundRemovalJobs).set({ refundedAt: this.deps.now() }).where(eq(backgroundRemovalJobs.id, job.id));
    });
  }
}

/** The engine's input errors are the user's to fix: they become 400s with the engine's own words. */
function toDomainError(error: unknown): DomainError | null {
  if (error instanceof InvalidImageError) return new DomainError("INVALID_IMAGE", error.message);
  if (error instanceof InvalidOptionsError) return new DomainError("INVALID_OPTIONS", error.message);
  return null;
}

async function asDomainErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toDomainError(error) ?? error;
  }
}
