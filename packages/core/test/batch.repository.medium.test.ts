import { users } from "@bgr/db";
import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import { finalBatchStatus, priceBatch } from "@bgr/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchRepository } from "../src/batch/batch.repository.ts";

const NOW = new Date("2026-06-30T12:00:00Z");
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ max: 4 });
  await database.db.insert(users).values({ id: "owner" });
});
afterAll(() => database?.close());

function newBatch(id: string, images = 2) {
  const batch = { id, userId: "owner", totalImages: images, tier: "basic" as const, ...priceBatch("basic", images), createdAt: NOW };
  const items = Array.from({ length: images }, (_, i) => ({
    id: `${id}_item_${i}`,
    userId: "owner",
    batchId: id,
    originalFileName: `photo-${i}.jpg`,
    originalFilePath: `users/owner/jobs/${id}_${i}/original.jpg`,
    originalFileSize: 1000,
    tier: "basic" as const,
    status: "pending" as const,
    creditUsed: 3,
    pricingType: "credits" as const,
    createdAt: new Date(NOW.getTime() + i),
  }));
  return { batch, items };
}

describe("batchRepository", () => {
  it("joins the caller's transaction: what it wrote there rolls back with it", async () => {
    const { batch, items } = newBatch("batch_rolled_back");
    await expect(
      database.db.transaction(async (tx) => {
        await batchRepository.insert(tx, batch, items);
        expect((await batchRepository.lock(tx, batch.id))?.id).toBe(batch.id);
        // Outside the transaction the uncommitted batch is not there.
        expect(await batchRepository.find(database.db, batch.id)).toBeNull();
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await batchRepository.find(database.db, batch.id)).toBeNull();
    expect(await batchRepository.items(database.db, batch.id)).toEqual([]);
  });

  it("works on the database directly: an item is claimed and settled once, and the batch completes once", async () => {
    const { batch, items } = newBatch("batch_direct");
    await batchRepository.insert(database.db, batch, items);
    const claimed = await batchRepository.claimItem(database.db, items[0]!.id);
    expect(claimed).toMatchObject({ status: "processing", attempts: 1 });
    const outcome = { status: "failed" as const, errorMessage: "unreadable" };
    expect(await batchRepository.settleItem(database.db, items[0]!.id, outcome, NOW)).toMatchObject({
      status: "failed",
      errorMessage: "unreadable",
    });
    // A second delivery finds it settled.
    expect(await batchRepository.settleItem(database.db, items[0]!.id, outcome, NOW)).toBeNull();
    expect(await batchRepository.claimItem(database.db, items[0]!.id)).toBeNull();
    expect(await batchRepository.cancelPendingItems(database.db, batch.id, NOW)).toBe(1);
    expect((await batchRepository.itemStatuses(database.db, batch.id)).map((item) => item.status)).toEqual(["failed", "cancelled"]);

    const row = (await batchRepository.find(database.db, batch.id))!;
    const status = finalBatchStatus(row);
    expect(status).toBe("failed");
    expect(await batchRepository.complete(database.db, batch.id, { key: "zip", size: 22 }, status, NOW)).toMatchObject({
      status: "failed",
      zipFilePath: "zip",
    });
    expect(await batchRepository.complete(database.db, batch.id, { key: "zip-2", size: 22 }, "completed", NOW)).toBeNull();
  });

  it("counts a user's batches in a window, with the oldest one", async () => {
    const counted = await batchRepository.countCreatedSince(database.db, "owner", new Date(NOW.getTime() - 1000));
    expect(counted).toEqual({ count: 1, oldest: NOW });
    expect(await batchRepository.countCreatedSince(database.db, "owner", NOW)).toEqual({ count: 0, oldest: null });
  });
});
