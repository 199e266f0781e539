import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { newId, type Database, type Executor } from "@bgr/db";
import type { WorkSource } from "../removal/removal-view.ts";
import {
  assertBatchUpload,
  assertUnderRateLimit,
  BATCH_LIMITS,
  cheapestBatchFrom,
  DomainError,
  parseBatchName,
  parseTier,
  priceBatch,
  rateLimitStatus,
  shareOf,
  storedFileName,
  windowStart,
  type BatchOptions,
  type RateLimit,
  type RateLimitStatus,
} from "@bgr/domain";
import { InvalidImageError, probeImage } from "@bgr/engine";
import type { CallbackGuard } from "../callbacks/callback-url.ts";
import type { CreditLedger } from "../credits/credit-ledger.ts";
import type { TaskQueue } from "../queue/task-queue.ts";
import type { UrlSigner } from "../storage/signed-url.ts";
import { storageKeys, type Storage } from "../storage/storage.ts";
import { expiredFileError } from "../retention/retention.service.ts";
import { userRepository, type UserRepository } from "../users/user.repository.ts";
import { checkBatchLayout, storedItemOptions } from "./batch-layout.ts";
import { closeBatchIfSettled, defaultBatchStores } from "./batch-settlement.ts";
import type { BatchRepository } from "./batch.repository.ts";
import { toBatchView, type BatchView } from "./batch-view.ts";
import { estimateMinutes } from "./eta.ts";

/** A file of a batch upload, already streamed to a staging file by the HTTP layer. */
export interface StagedFile {
  name: string;
  path: string;
  size: number;
  /** Set by the HTTP layer when the upload itself was refused (e.g. over 10 MB). */
  problem?: string;
}

export interface BatchServiceDeps {
  db: Database;
  queue: Pick<TaskQueue, "enqueue">;
  storage: Storage;
  signer: UrlSigner;
  now: () => Date;
  batchRateLimit: RateLimit;
  /** Refuses callback URLs that could reach a private network (SSRF), before anything is charged. */
  callbacks: CallbackGuard;
  /** Items processed in parallel across all workers: scales the completion estimate. */
  expectedParallelism: number;
  /** Test hook: runs inside the batch's transaction just before commit. */
  beforeCommit?: () => Promise<void>;
  /** Default: the drizzle repositories and ledger (unit tests pass in-memory ones). */
  repositories?: BatchServiceRepositories;
}

/** What a BatchService reads and changes: batches and their items, the owner's lock, and the ledger (the charge and the refund). */
export interface BatchServiceRepositories {
  batches: BatchRepository;
  users: Pick<UserRepository, "lock">;
  ledger: CreditLedger;
}

const drizzleRepositories: BatchServiceRepositories = { ...defaultBatchStores, users: userRepository };

export interface CreateBatchRequest {
  userId: string;
  tier: string;
  files: StagedFile[];
  /** The owner's name for the batch; empty or absent: named after its first file and the count. */
  name?: string;
  callbackUrl?: string;
  /** Background, crop and format for every item's result; absent: transparent, uncropped PNGs. */
  options?: BatchOptions;
  /** The background image, when `options.background` asks for one. */
  backgroundImage?: StagedFile;
  /** Set when a Lumiku app's integration endpoint made the batch from one of its projects. */
  source?: WorkSource;
}

/**
 * Batches: validated in full before anything is charged, then ONE transaction writes the batch,
 * its items, the ledger debit and the queue jobs, so they commit or roll back together.
 */
export class BatchService {
  private readonly repositories: BatchServiceRepositories;

  constructor(private readonly deps: BatchServiceDeps) {
    this.repositories = deps.repositories ?? drizzleRepositories;
  }

  async create(request: CreateBatchRequest): Promise<BatchView> {
    const { db, storage, now } = this.deps;
    const { batches, users, ledger } = this.repositories;
    const tier = parseTier(request.tier);
    const name = parseBatchName(request.name);
    const callbackUrl = await this.deps.callbacks.check(request.callbackUrl);
    await assertFilesUsable(request.files);
    assertBatchUpload(request.files.map((f) => f.size));
    const composed = await checkBatchLayout(tier, request.options, request.backgroundImage);
    const pricing = priceBatch(tier, request.files.length);
    const batchId = newId("batch");
    const backgroundKey = composed?.backgroundImage ? storageKeys.batchBackground(request.userId, batchId) : null;
    const outputOptions = composed ? storedItemOptions(composed.layout, backgroundKey) : null;

    const items = request.files.map((file, index) => {
      const id = newId("job");
      const extension = (file.name.match(/\.([A-Za-z0-9]{1,5})$/)?.[1] ?? "img").toLowerCase();
      return {
        id,
        file,
        key: storageKeys.original(request.userId, id, extension),
        queueJobId: randomUUID(),
        // Each item's share of the quote (the shares add up to finalTotal); settlement rewrites it to what the item finally cost.
        share: shareOf(pricing.finalTotal, request.files.length, index),
      };
    });
    const stored: string[] = [];
    try {
      if (backgroundKey) {
        await storage.put(backgroundKey, composed!.backgroundImage!);
        stored.push(backgroundKey);
      }
      for (const item of items) {
        await storage.put(item.key, createReadStream(item.file.path));
        stored.push(item.key);
      }
      const estimatedMinutes = await estimateMinutes(batches, db, tier, request.files.length, this.deps.expectedParallelism);
      const batch = await db.transaction(async (tx) => {
        await users.lock(tx, request.userId);
        await this.assertBatchRate(tx, request.userId);
        await ledger.debit(tx, {
          userId: request.userId,
          amount: pricing.finalTotal,
          reason: "batch",
          referenceType: "background_removal_batch",
          referenceId: batchId,
          idempotencyKey: `debit:batch:${batchId}`,
        });
        const createdAt = now();
        const row = await batches.insert(
          tx,
          {
            id: batchId,
            userId: request.userId,
            name,
            firstFileName: storedFileName(request.files[0]!.name),
            totalImages: items.length,
            tier,
            ...pricing,
            estimatedCompletionMinutes: estimatedMinutes,
            callbackUrl,
            sourceApp: request.source?.app,
            sourceRef: request.source?.ref,
            createdAt,
          },
          items.map((item, index) => ({
            id: item.id,
            userId: request.userId,
            batchId,
            originalFileName: storedFileName(item.file.name),
            originalFilePath: item.key,
            originalFileSize: item.file.size,
            tier,
            status: "pending" as const,
            creditUsed: item.share,
            pricingType: "credits" as const,
            aiProvider: "local",
            outputOptions,
            queueJobId: item.queueJobId,
            sourceApp: request.source?.app,
            sourceRef: request.source?.ref,
            // 1 ms apart, so listing by creation time gives the upload order.
            createdAt: new Date(createdAt.getTime() + index),
          })),
        );
        await this.deps.queue.enqueue(
          tx,
          "batchItem",
          items.map((item) => ({ jobId: item.id })),
          items.map((item) => item.queueJobId),
        );
        await this.deps.beforeCommit?.();
        return row;
      });
      return toBatchView(batch, this.deps.signer, now());
    } catch (error) {
      await Promise.all(stored.map((key) => storage.delete(key)));
      throw error;
    }
  }

  /**
   * The cheap checks, for callers to run as soon as they know the tier and how many images they hold
   * so far, before reading or downloading more: the hourly batch limit, and credits for the cheapest
   * batch of at least that many images. `create` checks again when it charges.
   */
  async assertCanStart(userId: string, tier: string, imageCount: number): Promise<void> {
    const parsed = parseTier(tier);
    await this.assertBatchRate(this.deps.db, userId);
    const atLeast = Math.min(Math.max(imageCount, BATCH_LIMITS.minImages), BATCH_LIMITS.maxImages);
    await this.repositories.ledger.assertCanPay(this.deps.db, userId, cheapestBatchFrom(parsed, atLeast, BATCH_LIMITS.maxImages));
  }

  async get(userId: string, batchId: string): Promise<BatchView> {
    const batch = await this.owned(userId, batchId);
    const items = await this.repositories.batches.items(this.deps.db, batchId);
    return toBatchView(batch, this.deps.signer, this.deps.now(), items);
  }

  async list(userId: string, page: number, pageSize: number) {
    const { rows, total } = await this.repositories.batches.page(this.deps.db, userId, page, pageSize);
    const now = this.deps.now();
    return { items: rows.map((row) => toBatchView(row, this.deps.signer, now)), page, pageSize, total };
  }

  /** The finished ZIP's storage key and size, for streaming it to its owner. */
  async zip(userId: string, batchId: string): Promise<{ key: string; size: number }> {
    const batch = await this.owned(userId, batchId);
    if (batch.zipExpiredAt) throw expiredFileError(batch.zipExpiredAt);
    if (!batch.zipFilePath || batch.zipFileSize === null) {
      throw new DomainError("NOT_FOUND", `Batch ${batchId} has no ZIP yet (${batch.progressPercent}% done). Try again when it completes.`);
    }
    return { key: batch.zipFilePath, size: batch.zipFileSize };
  }

  /**
   * Stops the items that have not started; items already running finish. Once none is left running,
   * the batch costs the volume price of what succeeded and the rest comes back (closeBatchIfSettled).
   */
  async cancel(userId: string, batchId: string): Promise<BatchView> {
    const { db, now } = this.deps;
    const { batches, ledger } = this.repositories;
    await this.owned(userId, batchId);
    await db.transaction(async (tx) => {
      const batch = await batches.lock(tx, batchId);
      if (!batch || batch.status === "completed" || batch.status === "failed" || batch.status === "cancelled") return;
      const stopped = await batches.cancelPendingItems(tx, batchId, now());
      await batches.markCancelled(tx, batchId, now(), batch.cancelledImages + stopped);
      await closeBatchIfSettled(tx, { batches, ledger, queue: this.deps.queue }, batchId, now());
    });
    return this.get(userId, batchId);
  }

  private async owned(userId: string, batchId: string) {
    const batch = await this.repositories.batches.findOwned(this.deps.db, userId, batchId);
    if (!batch) throw new DomainError("NOT_FOUND", `No batch ${batchId} in your account.`);
    return batch;
  }

  private async assertBatchRate(executor: Executor, userId: string) {
    const now = this.deps.now();
    assertUnderRateLimit(this.deps.batchRateLimit, await this.batchesInWindow(executor, userId, now), now);
  }

  /** The caller's standing against the hourly batch limit (for X-RateLimit-* headers). */
  async rateLimitStatus(userId: string): Promise<RateLimitStatus> {
    const now = this.deps.now();
    return rateLimitStatus(this.deps.batchRateLimit, await this.batchesInWindow(this.deps.db, userId, now), now);
  }

  private batchesInWindow(executor: Executor, userId: string, now: Date) {
    return this.repositories.batches.countCreatedSince(executor, userId, windowStart(this.deps.batchRateLimit, now));
  }
}

/** Every file is checked (header, format, pixel count) before anything is charged; all problems are reported at once. */
async function assertFilesUsable(files: StagedFile[]): Promise<void> {
  const problems: { name: string; reason: string }[] = [];
  for (const file of files) {
    if (file.problem) {
      problems.push({ name: file.name, reason: file.problem });
      continue;
    }
    try {
      await probeImage(file.path);
    } catch (error) {
      if (!(error instanceof InvalidImageError)) throw error;
      problems.push({ name: file.name, reason: error.message });
    }
  }
  if (problems.length > 0) {
    throw new DomainError(
      "INVALID_FILES",
      `${problems.length} of ${files.length} files cannot be processed; nothing was charged. Remove or replace them and try again.`,
      {
        files: problems,
      },
    );
  }
}
