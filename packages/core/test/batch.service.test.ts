import { cheapestBatchFrom, priceBatch } from "@bgr/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { BatchService } from "../src/batch/batch.service.ts";
import { CallbackGuard } from "../src/callbacks/callback-url.ts";
import { createCreditLedger } from "../src/credits/credit-ledger.ts";
import { UrlSigner } from "../src/storage/signed-url.ts";
import { batchRow, InMemoryBatches, removalRow } from "./in-memory/batches.ts";
import { InMemoryCredits } from "./in-memory/credits.ts";
import { inMemoryDatabase } from "./in-memory/database.ts";
import { RecordingQueue } from "./in-memory/queue.ts";
import { InMemoryStorage } from "./in-memory/storage.ts";
import { inMemoryUsers } from "./in-memory/users.ts";

const NOW = new Date("2026-12-04T10:00:00Z");
const USER = "usr_1";
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

describe("BatchService over in-memory repositories", () => {
  let batches: InMemoryBatches;
  let credits: InMemoryCredits;
  let queue: RecordingQueue;
  let storage: InMemoryStorage;

  beforeEach(() => {
    batches = new InMemoryBatches();
    credits = new InMemoryCredits({ [USER]: 0 });
    queue = new RecordingQueue();
    storage = new InMemoryStorage();
  });

  function service() {
    return new BatchService({
      db: inMemoryDatabase(batches, credits),
      queue,
      storage,
      signer: new UrlSigner("test-secret", "/files"),
      now: () => NOW,
      batchRateLimit: { limit: 2, windowSeconds: 3600 },
      callbacks: new CallbackGuard(),
      expectedParallelism: 1,
      repositories: { batches: batches.repository, users: inMemoryUsers, ledger: createCreditLedger(credits.repository) },
    });
  }

  function addBatch(id: string, createdAt: Date, userId = USER) {
    batches.add(batchRow({ id, userId, tier: "standard", totalImages: 2, createdAt }), []);
  }

  describe("assertCanStart", () => {
    it("refuses a user at the hourly batch limit before it looks at credits", async () => {
      addBatch("batch_1", minutesAgo(50));
      addBatch("batch_2", minutesAgo(10));
      // Out of the window, or someone else's: not counted.
      addBatch("batch_old", minutesAgo(61));
      addBatch("batch_other", minutesAgo(5), "usr_2");

      // Retry when the oldest counted batch leaves the window: 60 − 50 minutes from now.
      await expect(service().assertCanStart(USER, "standard", 5)).rejects.toMatchObject({
        code: "RATE_LIMITED",
        message: expect.stringContaining("600 seconds"),
      });
      batches.batches.delete("batch_2");
      await expect(service().assertCanStart(USER, "standard", 5)).rejects.toMatchObject({ code: "INSUFFICIENT_CREDITS" });
    });

    it("asks for the price of the cheapest batch of at least that many images (and of a batch's minimum size)", async () => {
      const required = cheapestBatchFrom("professional", 2, 500);
      credits.balances.set(USER, required - 1);
      await expect(service().assertCanStart(USER, "professional", 1)).rejects.toMatchObject({
        code: "INSUFFICIENT_CREDITS",
        details: { required, available: required - 1 },
      });
      credits.balances.set(USER, required);
      await expect(service().assertCanStart(USER, "professional", 1)).resolves.toBeUndefined();
      expect(credits.entries).toEqual([]);
    });
  });

  it("refuses unusable files before anything is stored or charged", async () => {
    credits.balances.set(USER, 1000);
    const files = [
      { name: "a.jpg", path: "/nowhere/a.jpg", size: 20 * 1024 * 1024, problem: "over 10 MB" },
      { name: "b.jpg", path: "/nowhere/b.jpg", size: 11 * 1024 * 1024, problem: "over 10 MB" },
    ];
    await expect(service().create({ userId: USER, tier: "standard", files })).rejects.toMatchObject({
      code: "INVALID_FILES",
      details: { files: [{ name: "a.jpg" }, { name: "b.jpg" }] },
    });
    expect(storage.objects.size).toBe(0);
    expect(credits.balances.get(USER)).toBe(1000);
    expect(credits.entries).toEqual([]);
    expect(batches.batches.size).toBe(0);
  });

  describe("cancel", () => {
    const BATCH = "batch_c";
    const quote = priceBatch("standard", 3).finalTotal;

    beforeEach(() => {
      // The quote was debited at creation; one item is done, two never started.
      credits.balances.set(USER, 100 - quote);
      batches.add(batchRow({ id: BATCH, userId: USER, tier: "standard", totalImages: 3, status: "processing", processedImages: 1 }), [
        removalRow({ id: "item_a", userId: USER, tier: "standard", status: "completed", creditUsed: quote / 3 }),
        removalRow({ id: "item_b", userId: USER, tier: "standard", creditUsed: quote / 3 }),
        removalRow({ id: "item_c", userId: USER, tier: "standard", creditUsed: quote / 3 }),
      ]);
    });

    it("stops the pending items, charges the volume price of what succeeded, refunds the rest once and queues the ZIP", async () => {
      const view = await service().cancel(USER, BATCH);

      const net = priceBatch("standard", 1).finalTotal;
      expect(view).toMatchObject({ status: "cancelled", progress: { processedImages: 1, cancelledImages: 2 } });
      expect(view.pricing).toMatchObject({ refundedCredits: quote - net, netCredits: net });
      expect(batches.items.get("item_b")).toMatchObject({ status: "cancelled", creditUsed: 0, refundedAt: NOW });
      expect(batches.items.get("item_a")).toMatchObject({ status: "completed", creditUsed: net });
      expect(credits.balances.get(USER)).toBe(100 - net);
      expect(credits.entries).toMatchObject([{ reason: "refund", delta: quote - net, idempotencyKey: `refund:batch:${BATCH}` }]);
      expect(queue.of("batchFinalize")).toEqual([{ batchId: BATCH }]);

      // A second cancel finds the batch cancelled and changes nothing.
      await service().cancel(USER, BATCH);
      expect(credits.entries).toHaveLength(1);
      expect(queue.of("batchFinalize")).toHaveLength(1);
    });

    it("answers NOT_FOUND for another user's batch and leaves it running", async () => {
      await expect(service().cancel("usr_2", BATCH)).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(batches.batch(BATCH).status).toBe("processing");
      expect(batches.items.get("item_b")?.status).toBe("pending");
      expect(credits.entries).toEqual([]);
    });
  });
});
