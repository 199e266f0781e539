import { InvalidImageError } from "@bgr/engine";
import { priceBatch, shareOf } from "@bgr/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { BatchProcessor } from "../src/batch/batch-processor.ts";
import { createCreditLedger } from "../src/credits/credit-ledger.ts";
import type { QueueTask } from "../src/queue/task-queue.ts";
import type { RemovalRunner } from "../src/removal/removal.service.ts";
import { batchRow, InMemoryBatches, removalRow } from "./in-memory/batches.ts";
import { InMemoryCredits } from "./in-memory/credits.ts";
import { inMemoryDatabase } from "./in-memory/database.ts";
import { RecordingQueue } from "./in-memory/queue.ts";
import { InMemoryStorage } from "./in-memory/storage.ts";

const NOW = new Date("2026-12-04T10:00:00Z");
const USER = "usr_1";
const BATCH = "batch_1";
const ITEMS = ["item_a", "item_b", "item_c"];
const PRICE = priceBatch("standard", ITEMS.length);

/** Succeeds with a 1-byte PNG, except for the item ids listed in `failing` (with the error given). */
function runner(failing: Record<string, Error> = {}): RemovalRunner {
  return {
    async remove(bytes) {
      const id = Buffer.from(bytes).toString();
      if (failing[id]) throw failing[id];
      return {
        data: Buffer.from("png"),
        format: "png",
        mime: "image/png",
        width: 4,
        height: 3,
        sourceWidth: 4,
        sourceHeight: 3,
        timings: {} as never,
        provider: "local:isnet-fp16",
      };
    },
  };
}

function task(itemId: string, retryCount = 0, retryLimit = 2): QueueTask<"batchItem"> {
  return { id: `task_${itemId}`, data: { jobId: itemId }, retryCount, retryLimit };
}

describe("BatchProcessor over in-memory repositories", () => {
  let batches: InMemoryBatches;
  let credits: InMemoryCredits;
  let queue: RecordingQueue;
  let storage: InMemoryStorage;

  beforeEach(async () => {
    batches = new InMemoryBatches();
    // The batch's price was debited at creation: 100 credits before, the quote taken.
    credits = new InMemoryCredits({ [USER]: 100 - PRICE.finalTotal });
    queue = new RecordingQueue();
    storage = new InMemoryStorage();
    batches.add(
      batchRow({ id: BATCH, userId: USER, tier: "standard", totalImages: ITEMS.length }),
      ITEMS.map((id) => removalRow({ id, userId: USER, tier: "standard", creditUsed: PRICE.finalTotal / ITEMS.length })),
    );
    // Each original's bytes are its item id, so the runner can tell them apart.
    for (const id of ITEMS) await storage.put(`originals/${id}.jpg`, Buffer.from(id));
  });

  function processor(failing: Record<string, Error> = {}, callbackUrl?: string) {
    if (callbackUrl) batches.batches.set(BATCH, { ...batches.batch(BATCH), callbackUrl });
    return new BatchProcessor({
      db: inMemoryDatabase(batches, credits),
      queue,
      runner: runner(failing),
      storage,
      now: () => NOW,
      workerId: "host:1",
      stores: { batches: batches.repository, ledger: createCreditLedger(credits.repository) },
    });
  }

  it("settles a batch with one bad image: the volume price of the two successes, one refund row, the ZIP queued once", async () => {
    const work = processor({ item_b: new InvalidImageError("corrupt", "not an image") });
    for (const id of ITEMS) await work.processItem(task(id));

    const batch = batches.batch(BATCH);
    expect(batch).toMatchObject({ status: "processing", processedImages: 2, failedImages: 1, progressPercent: 100 });
    const net = priceBatch("standard", 2).finalTotal;
    expect(batch.refundedCredits).toBe(PRICE.finalTotal - net);
    expect(credits.balances.get(USER)).toBe(100 - net);
    expect(credits.entries).toMatchObject([
      { reason: "refund", delta: PRICE.finalTotal - net, idempotencyKey: `refund:batch:${BATCH}`, balanceAfter: 100 - net },
    ]);

    const [a, b, c] = ITEMS.map((id) => batches.items.get(id)!);
    expect(b).toMatchObject({ status: "failed", errorMessage: "not an image", creditUsed: 0, refundedAt: NOW });
    expect([a!.creditUsed, c!.creditUsed]).toEqual([shareOf(net, 2, 0), shareOf(net, 2, 1)]);
    expect(a).toMatchObject({
      status: "completed",
      aiProvider: "local",
      modelName: "isnet-fp16",
      workerId: "host:1",
      width: 4,
      format: "png",
    });
    expect(await storage.size(a!.processedFilePath!)).toBe(3);
    expect(queue.of("batchFinalize")).toEqual([{ batchId: BATCH }]);
  });

  it("changes nothing when an item is delivered again after it settled", async () => {
    const work = processor();
    for (const id of ITEMS) await work.processItem(task(id));
    const before = batches.snapshot();
    await work.processItem(task("item_a"));
    expect(batches.snapshot()).toEqual(before);
    expect(credits.entries).toHaveLength(0); // all succeeded: nothing to refund
    expect(queue.of("batchFinalize")).toHaveLength(1);
  });

  it("throws a transient failure back to the queue while retries remain, and settles it as failed on the last attempt", async () => {
    const work = processor({ item_a: new Error("worker thread died") });
    await expect(work.processItem(task("item_a", 0, 2))).rejects.toThrow("worker thread died");
    expect(batches.items.get("item_a")).toMatchObject({ status: "processing", attempts: 1 });
    expect(batches.batch(BATCH).failedImages).toBe(0);

    await work.processItem(task("item_a", 2, 2));
    expect(batches.items.get("item_a")).toMatchObject({ status: "failed", attempts: 2, errorMessage: "worker thread died" });
    expect(batches.batch(BATCH)).toMatchObject({ failedImages: 1, progressPercent: 33 });
  });

  it("refunds the whole quote when every item fails, and finalize marks the batch failed and mails the owner", async () => {
    const failing = Object.fromEntries(ITEMS.map((id) => [id, new InvalidImageError("corrupt", "not an image")]));
    const work = processor(failing, "https://example.com/hook");
    for (const id of ITEMS) await work.processItem(task(id));
    expect(credits.balances.get(USER)).toBe(100);
    expect(batches.batch(BATCH).refundedCredits).toBe(PRICE.finalTotal);

    await work.finalize(BATCH);
    expect(batches.batch(BATCH)).toMatchObject({ status: "failed", completedAt: NOW });
    expect(queue.of("notificationMail")).toEqual([{ kind: "batch_failed", batchId: BATCH }]);
    expect(queue.of("batchCallback")).toEqual([{ batchId: BATCH }]);
  });

  it("finalize stores the successes' ZIP, completes the batch once, and a second finalize does nothing", async () => {
    const work = processor({ item_c: new InvalidImageError("corrupt", "not an image") });
    for (const id of ITEMS) await work.processItem(task(id));
    await work.finalize(BATCH);
    await work.finalize(BATCH);

    const batch = batches.batch(BATCH);
    expect(batch.status).toBe("completed");
    const zip = storage.objects.get(batch.zipFilePath!)!;
    expect(zip.length).toBe(batch.zipFileSize);
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a ZIP's local file header
    expect(
      zip
        .toString("latin1")
        .match(/item_[a-c]\.png/g)
        ?.sort(),
    ).toEqual(["item_a.png", "item_a.png", "item_b.png", "item_b.png"]);
    expect(queue.of("notificationMail")).toEqual([{ kind: "batch_completed", batchId: BATCH }]);
    expect(queue.of("batchCallback")).toEqual([]);
  });
});
