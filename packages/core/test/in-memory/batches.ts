import type { RemovalBatch, Removal } from "@bgr/db";
import { priceBatch, type TierName } from "@bgr/domain";
import type { BatchRepository } from "../../src/batch/batch.repository.ts";
import { copy, repository, type Snapshotting } from "./database.ts";

const T0 = new Date("2026-12-01T00:00:00Z");

/** A batch row as `batchRepository.insert` would leave it: priced by domain, nothing processed yet. */
export function batchRow(
  overrides: Partial<RemovalBatch> & { id: string; userId: string; tier: TierName; totalImages: number },
): RemovalBatch {
  const price = priceBatch(overrides.tier, overrides.totalImages);
  return {
    name: null,
    firstFileName: null,
    processedImages: 0,
    failedImages: 0,
    cancelledImages: 0,
    status: "pending",
    progressPercent: 0,
    errorMessage: null,
    baseCreditsPerImage: price.baseCreditsPerImage,
    baseTotal: price.baseTotal,
    discountPercentage: price.discountPercentage,
    discountAmount: price.discountAmount,
    finalTotal: price.finalTotal,
    refundedCredits: null,
    creditsPerImageAfterDiscount: price.creditsPerImageAfterDiscount,
    zipFilePath: null,
    zipFileSize: null,
    zipExpiredAt: null,
    estimatedCompletionMinutes: null,
    createdAt: T0,
    startedAt: null,
    completedAt: null,
    cancelledAt: null,
    queueJobId: null,
    callbackUrl: null,
    sourceApp: null,
    sourceRef: null,
    ...overrides,
  };
}

/** A pending removal row (a batch item when `batchId` is set). */
export function removalRow(overrides: Partial<Removal> & { id: string; userId: string; tier: TierName }): Removal {
  return {
    batchId: null,
    originalFileName: `${overrides.id}.jpg`,
    originalFilePath: `originals/${overrides.id}.jpg`,
    originalFileSize: 1000,
    processedFilePath: null,
    processedFileSize: null,
    originalExpiredAt: null,
    resultExpiredAt: null,
    status: "pending",
    errorMessage: null,
    aiProvider: null,
    modelName: null,
    workerId: null,
    processingTimeMs: null,
    creditUsed: 0,
    pricingType: "credits",
    width: null,
    height: null,
    format: null,
    queueJobId: null,
    attempts: 0,
    outputOptions: null,
    refundedAt: null,
    sourceApp: null,
    sourceRef: null,
    callbackUrl: null,
    pipeline: null,
    sealedAuthorization: null,
    createdAt: T0,
    completedAt: null,
    ...overrides,
  };
}

/** Batches and their items in memory, with the SQL's guards: an item settles once, a batch completes once. */
export class InMemoryBatches implements Snapshotting {
  batches = new Map<string, RemovalBatch>();
  items = new Map<string, Removal>();

  add(batch: RemovalBatch, items: Removal[]): void {
    this.batches.set(batch.id, batch);
    for (const item of items) this.items.set(item.id, { ...item, batchId: batch.id });
  }

  snapshot() {
    return copy({ batches: this.batches, items: this.items });
  }

  restore(state: unknown) {
    ({ batches: this.batches, items: this.items } = copy(state as ReturnType<InMemoryBatches["snapshot"]>));
  }

  batch(id: string): RemovalBatch {
    const row = this.batches.get(id);
    if (!row) throw new Error(`no batch ${id}`);
    return row;
  }

  itemsOf(batchId: string): Removal[] {
    return [...this.items.values()].filter((item) => item.batchId === batchId);
  }

  private update<R extends { id: string }>(rows: Map<string, R>, id: string, changes: Partial<R>): R {
    const row = { ...rows.get(id)!, ...changes };
    rows.set(id, row);
    return row;
  }

  readonly repository: BatchRepository = repository<BatchRepository>("batchRepository", {
    find: async (_executor, batchId) => this.batches.get(batchId) ?? null,
    findOwned: async (_executor, userId, batchId) => {
      const batch = this.batches.get(batchId);
      return batch?.userId === userId ? batch : null;
    },
    countCreatedSince: async (_executor, userId, since) => {
      const created = [...this.batches.values()].filter((batch) => batch.userId === userId && batch.createdAt > since);
      const oldest = created.reduce<Date | null>((min, batch) => (min && min <= batch.createdAt ? min : batch.createdAt), null);
      return { count: created.length, oldest };
    },
    lock: async (_executor, batchId) => this.batches.get(batchId) ?? null,
    items: async (_executor, batchId) => this.itemsOf(batchId),
    completedItems: async (_executor, batchId) => this.itemsOf(batchId).filter((item) => item.status === "completed"),
    itemStatuses: async (_executor, batchId) => this.itemsOf(batchId).map(({ id, status }) => ({ id, status })),
    claimItem: async (_executor, itemId) => {
      const item = this.items.get(itemId);
      if (!item || (item.status !== "pending" && item.status !== "processing")) return null;
      return this.update(this.items, itemId, { status: "processing", attempts: item.attempts + 1 });
    },
    markStarted: async (_executor, batchId) => {
      const batch = this.batches.get(batchId);
      if (batch?.status === "pending") this.update(this.batches, batchId, { status: "processing", startedAt: batch.startedAt ?? T0 });
    },
    settleItem: async (_executor, itemId, outcome, at) => {
      if (this.items.get(itemId)?.status !== "processing") return null;
      return this.update(
        this.items,
        itemId,
        outcome.status === "completed" ? { ...outcome, format: "png", completedAt: at } : { ...outcome, completedAt: at },
      );
    },
    recordProgress: async (_executor, batchId, progress) => {
      this.update(this.batches, batchId, progress);
    },
    cancelPendingItems: async (_executor, batchId, at) => {
      const pending = this.itemsOf(batchId).filter((item) => item.status === "pending");
      for (const item of pending) this.update(this.items, item.id, { status: "cancelled", completedAt: at });
      return pending.length;
    },
    markCancelled: async (_executor, batchId, at, cancelledImages) => {
      this.update(this.batches, batchId, { status: "cancelled", cancelledAt: at, cancelledImages });
    },
    setItemCost: async (_executor, itemIds, credits) => {
      for (const id of itemIds) this.update(this.items, id, { creditUsed: credits });
    },
    markUnsuccessfulItemsRefunded: async (_executor, batchId, at) => {
      for (const item of this.itemsOf(batchId))
        if (item.status === "failed" || item.status === "cancelled") this.update(this.items, item.id, { creditUsed: 0, refundedAt: at });
    },
    recordRefund: async (_executor, batchId, refund) => {
      if (this.batches.get(batchId)?.refundedCredits === null) this.update(this.batches, batchId, { refundedCredits: refund });
    },
    complete: async (_executor, batchId, zip, status, at) => {
      if (this.batches.get(batchId)?.zipFilePath !== null) return null;
      return this.update(this.batches, batchId, { zipFilePath: zip.key, zipFileSize: zip.size, completedAt: at, status });
    },
  });
}
