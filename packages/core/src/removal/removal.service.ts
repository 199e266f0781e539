import { newId, type Database, type Executor, type PipelineOrder, type PipelineState, type Removal } from "@bgr/db";
import {
  assertFileSize,
  assertUnderRateLimit,
  busy,
  DomainError,
  DEFAULT_QUOTA_TIME_ZONE,
  parseTier,
  rateLimitStatus,
  SINGLE_LIMITS,
  storedFileName,
  windowStart,
  type RateLimit,
  type RateLimitStatus,
} from "@bgr/domain";
import { checkLayoutImages, EngineBusyError, probeImage, validateRemoveOptions, type RemovalResult, type RemoveOptions } from "@bgr/engine";
import type { CallbackGuard } from "../callbacks/callback-url.ts";
import { asDomainErrors, engineErrorToDomain } from "./engine-errors.ts";
import { creditLedgerService, type CreditLedger } from "../credits/credit-ledger.ts";
import type { RemovalSettlementService } from "./removal-settlement.service.ts";
import type { TaskQueue } from "../queue/task-queue.ts";
import { userRepository, type UserRepository } from "../users/user.repository.ts";
import { readObject, storageKeys, type Storage } from "../storage/storage.ts";
import { findOwnRemoval } from "./removal-history.service.ts";
import { removalRepository, type RemovalRepository } from "./removal.repository.ts";
import type { UrlSigner } from "../storage/signed-url.ts";
import { toRemovalView, type RemovalView, type WorkSource } from "./removal-view.ts";
import { quotaService, type QuotaService } from "../subscriptions/quota.ts";

/** Anything that turns image bytes into a removal result: the engine pool, or a remote provider. */
export interface RemovalRunner {
  remove(bytes: Uint8Array, options: RemoveOptions): Promise<RemovalResult>;
}

export interface RemovalServiceDeps {
  db: Database;
  runner: RemovalRunner;
  queue: Pick<TaskQueue, "enqueue">;
  settlement: RemovalSettlementService;
  storage: Storage;
  signer: UrlSigner;
  now: () => Date;
  singleRateLimit: RateLimit;
  /** Refuses callback URLs that could reach a private network (SSRF), before anything is charged. */
  callbacks: CallbackGuard;
  /** QUOTA_TIMEZONE: the subscription quota day starts at midnight there (default UTC). */
  quotaTimeZone?: string;
  /** Default: the drizzle repositories, ledger and quota (unit tests pass in-memory ones). */
  repositories?: RemovalServiceRepositories;
}

/**
 * What a RemovalService reads and changes: removal rows (which also count the rate limit), the
 * owner's lock, and who pays: the quota service (subscription uses) and the ledger (credits).
 */
export interface RemovalServiceRepositories {
  removals: RemovalRepository;
  users: Pick<UserRepository, "lock">;
  quota: QuotaService;
  ledger: CreditLedger;
}

const drizzleRepositories: RemovalServiceRepositories = {
  removals: removalRepository,
  users: userRepository,
  quota: quotaService,
  ledger: creditLedgerService,
};

export interface SingleRemovalRequest {
  userId: string;
  fileName: string;
  bytes: Uint8Array;
  tier: string;
  options?: Omit<RemoveOptions, "tier">;
  /** Signed POST here when the job settles. */
  callbackUrl?: string;
  /** Set when a Lumiku app's integration endpoint sent the image. */
  source?: WorkSource;
}

/** An Image Upscaler pipeline: one removal (charged like a single) and one upscale (the upscaler's own business). */
export interface PipelineRequest extends Omit<SingleRemovalRequest, "options"> {
  order: PipelineOrder;
  upscaleFactor: number;
  /** The caller's Authorization header, sealed: the worker forwards it to the upscaler. */
  sealedAuthorization: string;
}

/** What every new job writes besides the charge. */
type NewJob = { status: "processing" } | { status: "pending"; pipeline: PipelineState; sealedAuthorization: string };

/**
 * Single-image removal, money first: the debit, the job row and its ledger row commit together
 * BEFORE the work; if the work fails the job is marked failed and a refund row puts the credits back.
 */
export class RemovalService {
  private readonly repositories: RemovalServiceRepositories;

  constructor(private readonly deps: RemovalServiceDeps) {
    this.repositories = deps.repositories ?? drizzleRepositories;
  }

  async removeSingle(request: SingleRemovalRequest): Promise<RemovalView> {
    return (await this.removeWithResult(request)).job;
  }

  /** Like removeSingle, and also hands back the result itself, for APIs that answer with the image (remove.bg's). */
  async removeWithResult(request: SingleRemovalRequest): Promise<{ job: RemovalView; result: RemovalResult }> {
    const options: RemoveOptions = { ...request.options, tier: parseTier(request.tier) };
    const job = await this.open(request, options, { status: "processing" });
    return this.process(job, request.bytes, options);
  }

  /**
   * Charges and opens the job like removeSingle, then answers at once while the removal runs on in this
   * process, so a browser that reloads or leaves keeps its result (it polls the job). Every engine
   * failure settles the job (failed, refunded) inside process, so nothing is left to report here.
   */
  async startSingle(request: SingleRemovalRequest): Promise<RemovalView> {
    const options: RemoveOptions = { ...request.options, tier: parseTier(request.tier) };
    const job = await this.open(request, options, { status: "processing" });
    void this.process(job, request.bytes, options).catch(() => undefined);
    return toRemovalView(job, this.deps.signer, this.deps.now());
  }

  /**
   * "Try another tier": the job's stored original again, at `tier`, as a new single removal charged
   * like any other (the same open → charge path), so nobody uploads the file twice.
   */
  async rerun(request: { userId: string; jobId: string; tier: string }): Promise<RemovalView> {
    const tier = parseTier(request.tier);
    const source = await findOwnRemoval(this.deps.db, request.userId, request.jobId, this.repositories.removals);
    if ((await this.deps.storage.size(source.originalFilePath)) === null) {
      throw new DomainError(
        "NOT_FOUND",
        `The original of job ${source.id} is no longer stored. Upload the image again to remove its background.`,
      );
    }
    const bytes = await readObject(this.deps.storage, source.originalFilePath);
    return this.removeSingle({
      userId: request.userId,
      fileName: source.originalFileName,
      bytes,
      tier,
      options: rerunOptions(source.outputOptions),
    });
  }

  /**
   * The cheap checks, for the HTTP layer to run as soon as it knows the tier and before it reads the
   * image: the rate limit, and who would pay (quota or credits). The charge itself checks again.
   */
  async assertCanStart(userId: string, tier: string): Promise<void> {
    const { quota, ledger } = this.repositories;
    const at = this.deps.now();
    await this.assertSingleRate(this.deps.db, userId, at);
    const { decision } = await quota.decideSingle(this.deps.db, { userId, tier: parseTier(tier), now: at, timeZone: this.quotaTimeZone });
    if (decision.pay === "credits") await ledger.assertCanPay(this.deps.db, userId, decision.credits);
  }

  /** The caller's standing against the single-removal rate limit (for X-RateLimit-* headers). */
  async rateLimitStatus(userId: string): Promise<RateLimitStatus> {
    const now = this.deps.now();
    return rateLimitStatus(this.deps.singleRateLimit, await this.singlesInWindow(this.deps.db, userId, now), now);
  }

  /**
   * The sliding-window limit on single removals, counted from the jobs table itself so it holds across
   * server processes. Call under the user's lock so concurrent requests count each other.
   */
  private async assertSingleRate(executor: Executor, userId: string, now: Date): Promise<void> {
    assertUnderRateLimit(this.deps.singleRateLimit, await this.singlesInWindow(executor, userId, now), now);
  }

  private singlesInWindow(executor: Executor, userId: string, now: Date) {
    return this.repositories.removals.countSinglesSince(executor, userId, windowStart(this.deps.singleRateLimit, now));
  }

  /** Charges and queues a pipeline job; the worker runs its steps (PipelineProcessor). */
  async startPipeline(request: PipelineRequest): Promise<RemovalView> {
    const options: RemoveOptions = { tier: parseTier(request.tier), format: "png" };
    const pipeline: PipelineState = { order: request.order, upscaleFactor: request.upscaleFactor, intermediatePath: null };
    const job = await this.open(request, options, { status: "pending", pipeline, sealedAuthorization: request.sealedAuthorization });
    return toRemovalView(job, this.deps.signer, this.deps.now());
  }

  /** Refuses for free what can be refused for free, then stores the original and charges in one transaction with the job row. */
  private async open(request: SingleRemovalRequest, options: RemoveOptions, newJob: NewJob): Promise<Removal> {
    const { db, storage, now } = this.deps;
    const { removals, users, quota, ledger } = this.repositories;
    assertFileSize(request.bytes.length, SINGLE_LIMITS);
    const callbackUrl = await this.deps.callbacks.check(request.callbackUrl);
    const probe = await asDomainErrors(async () => {
      validateRemoveOptions(options);
      await checkLayoutImages(options.layout);
      return probeImage(request.bytes);
    });

    const jobId = newId("job");
    const originalKey = storageKeys.original(request.userId, jobId, probe.format === "jpeg" ? "jpg" : probe.format);
    await storage.put(originalKey, request.bytes);
    try {
      return await db.transaction(async (tx) => {
        await users.lock(tx, request.userId);
        // One instant for the whole decision, so the job lands in the quota day its use was counted in.
        const at = now();
        await this.assertSingleRate(tx, request.userId, at);
        const decision = await quota.useQuotaOrDecideCredits(tx, {
          userId: request.userId,
          tier: options.tier,
          now: at,
          timeZone: this.quotaTimeZone,
        });
        const credits = decision.pay === "credits" ? decision.credits : 0;
        if (credits > 0) {
          await ledger.debit(tx, {
            userId: request.userId,
            amount: credits,
            reason: "removal",
            referenceType: "background_removal_job",
            referenceId: jobId,
            idempotencyKey: `debit:job:${jobId}`,
          });
        }
        const row = await removals.insert(tx, {
          id: jobId,
          userId: request.userId,
          originalFileName: storedFileName(request.fileName),
          originalFilePath: originalKey,
          originalFileSize: request.bytes.length,
          tier: options.tier,
          creditUsed: credits,
          pricingType: decision.pay,
          aiProvider: "local",
          outputOptions: storedOptions(request.options),
          callbackUrl,
          sourceApp: request.source?.app,
          sourceRef: request.source?.ref,
          createdAt: at,
          ...newJob,
        });
        if (newJob.status === "pending") await this.deps.queue.enqueue(tx, "pipelineStep", [{ jobId }]);
        return row;
      });
    } catch (error) {
      await storage.delete(originalKey);
      throw error;
    }
  }

  private get quotaTimeZone(): string {
    return this.deps.quotaTimeZone ?? DEFAULT_QUOTA_TIME_ZONE;
  }

  private async process(job: Removal, bytes: Uint8Array, options: RemoveOptions): Promise<{ job: RemovalView; result: RemovalResult }> {
    const { storage, now, settlement } = this.deps;
    let result: RemovalResult;
    try {
      result = await this.deps.runner.remove(bytes, options);
    } catch (error) {
      await settlement.failAndRefund(job, error);
      if (error instanceof EngineBusyError) throw busy(5);
      throw engineErrorToDomain(error) ?? error;
    }
    const resultKey = storageKeys.result(job.userId, job.id, result.format);
    const size = await storage.put(resultKey, result.data);
    const done = await settlement.complete(job, {
      key: resultKey,
      size,
      width: result.width,
      height: result.height,
      format: result.format,
      processingTimeMs: Math.round(result.timings.totalMs),
      provider: result.provider ?? "local",
    });
    return { job: toRemovalView(done, this.deps.signer, now()), result };
  }
}

/** A stored job's options, fit to run again: a layout's background image was not kept, so that background is left out. */
function rerunOptions(stored: Record<string, unknown> | null): SingleRemovalRequest["options"] {
  const options = { ...(stored ?? {}) } as NonNullable<SingleRemovalRequest["options"]>;
  const background = options.layout?.background as Record<string, unknown> | undefined;
  if (options.layout && background && "imageBytes" in background) {
    const { background: _dropped, ...layout } = options.layout;
    options.layout = layout;
  }
  return options;
}

/** The options as the job row keeps them: a background image is named by its size, not copied into the row. */
function storedOptions(options: SingleRemovalRequest["options"]): Record<string, unknown> {
  const background = options?.layout?.background;
  if (!options?.layout || !background || !("image" in background)) return { ...options };
  return { ...options, layout: { ...options.layout, background: { imageBytes: background.image.length, fit: background.fit } } };
}
