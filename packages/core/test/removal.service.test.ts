import { priceSingle } from "@bgr/domain";
import { makePng } from "@bgr/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CallbackGuard } from "../src/callbacks/callback-url.ts";
import { createCreditLedger } from "../src/credits/credit-ledger.ts";
import { RemovalSettlementService } from "../src/removal/removal-settlement.service.ts";
import { RemovalService, type RemovalRunner } from "../src/removal/removal.service.ts";
import { UrlSigner } from "../src/storage/signed-url.ts";
import { createQuotaService } from "../src/subscriptions/quota.ts";
import { removalRow } from "./in-memory/batches.ts";
import { InMemoryCredits } from "./in-memory/credits.ts";
import { inMemoryDatabase } from "./in-memory/database.ts";
import { RecordingQueue } from "./in-memory/queue.ts";
import { InMemoryRemovals } from "./in-memory/removals.ts";
import { InMemoryStorage } from "./in-memory/storage.ts";
import { InMemorySubscriptions, subscriptionRow } from "./in-memory/subscriptions.ts";
import { inMemoryUsers } from "./in-memory/users.ts";

const NOW = new Date("2026-12-04T10:00:00Z");
const USER = "usr_1";
const secondsAgo = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

/** A pro subscription with quota left today (3 removals, 1 professional). */
const subscription = () => subscriptionRow({ userId: USER });

describe("RemovalService over in-memory repositories", () => {
  let removals: InMemoryRemovals;
  let credits: InMemoryCredits;
  let subscriptions: InMemorySubscriptions;
  let storage: InMemoryStorage;
  let runs: number;
  let photo: Buffer;

  beforeAll(async () => {
    photo = await makePng(16, 16, "#808080");
  });

  beforeEach(() => {
    removals = new InMemoryRemovals();
    credits = new InMemoryCredits({ [USER]: 0 });
    subscriptions = new InMemorySubscriptions();
    storage = new InMemoryStorage();
    runs = 0;
  });

  /** The engine: a 2×1 PNG, or the given failure. */
  function runner(failure?: Error): RemovalRunner {
    return {
      async remove() {
        runs += 1;
        if (failure) throw failure;
        return {
          data: Buffer.from("png"),
          format: "png",
          mime: "image/png",
          width: 2,
          height: 1,
          sourceWidth: 2,
          sourceHeight: 1,
          timings: { totalMs: 12.4 } as never,
          provider: "local:isnet-fp16",
        };
      },
    };
  }

  function service(engine = runner()) {
    const db = inMemoryDatabase(removals, credits, subscriptions);
    const queue = new RecordingQueue();
    const quota = createQuotaService({
      quota: subscriptions.quotaRepository,
      subscriptions: subscriptions.subscriptionRepository,
      removals: removals.repository,
    });
    const ledger = createCreditLedger(credits.repository);
    return new RemovalService({
      db,
      runner: engine,
      queue,
      settlement: new RemovalSettlementService({
        db,
        queue,
        now: () => NOW,
        repositories: { removals: removals.repository, quota, ledger },
      }),
      storage,
      signer: new UrlSigner("test-secret", "/files"),
      now: () => NOW,
      singleRateLimit: { limit: 2, windowSeconds: 60 },
      callbacks: new CallbackGuard(),
      repositories: { removals: removals.repository, users: inMemoryUsers, ledger, quota },
    });
  }

  describe("assertCanStart", () => {
    it("refuses a user at the single-removal rate limit, counting singles only", async () => {
      credits.balances.set(USER, 100);
      for (const [id, at] of [
        ["job_1", secondsAgo(40)],
        ["job_2", secondsAgo(5)],
      ] as const) {
        removals.rows.set(id, removalRow({ id, userId: USER, tier: "basic", createdAt: at }));
      }
      // A batch item, an old single and another user's: not counted.
      removals.rows.set("item_1", removalRow({ id: "item_1", userId: USER, tier: "basic", batchId: "batch_1", createdAt: secondsAgo(1) }));
      removals.rows.set("job_old", removalRow({ id: "job_old", userId: USER, tier: "basic", createdAt: secondsAgo(61) }));
      removals.rows.set("job_other", removalRow({ id: "job_other", userId: "usr_2", tier: "basic", createdAt: secondsAgo(1) }));

      // Retry when the oldest counted single leaves the window: 60 − 40 seconds from now.
      await expect(service().assertCanStart(USER, "basic")).rejects.toMatchObject({
        code: "RATE_LIMITED",
        message: expect.stringContaining("20 seconds"),
      });
      removals.rows.delete("job_2");
      await expect(service().assertCanStart(USER, "basic")).resolves.toBeUndefined();
    });

    it("lets a subscriber with quota left start without credits, and asks anyone else for the tier's price", async () => {
      await expect(service().assertCanStart(USER, "professional")).rejects.toMatchObject({
        code: "INSUFFICIENT_CREDITS",
        details: { required: priceSingle("professional"), available: 0 },
      });
      subscriptions.subscriptions.set("sub_1", subscription());
      await expect(service().assertCanStart(USER, "professional")).resolves.toBeUndefined();
      // The industry tier is not in the plan: credits again.
      await expect(service().assertCanStart(USER, "industry")).rejects.toMatchObject({
        code: "INSUFFICIENT_CREDITS",
        details: { required: priceSingle("industry") },
      });
    });
  });

  it("refuses a removal the balance does not cover: no job, no charge, no stored original, no engine run", async () => {
    credits.balances.set(USER, priceSingle("standard") - 1);
    await expect(service().removeSingle({ userId: USER, fileName: "photo.png", bytes: photo, tier: "standard" })).rejects.toMatchObject({
      code: "INSUFFICIENT_CREDITS",
    });
    expect(removals.rows.size).toBe(0);
    expect(credits.balances.get(USER)).toBe(priceSingle("standard") - 1);
    expect(credits.entries).toEqual([]);
    expect(storage.objects.size).toBe(0);
    expect(runs).toBe(0);
  });

  it("refuses a removal over the rate limit under the user's lock, before the quota is counted, and deletes the stored original", async () => {
    subscriptions.subscriptions.set("sub_1", subscription());
    removals.rows.set("job_1", removalRow({ id: "job_1", userId: USER, tier: "basic", createdAt: secondsAgo(30) }));
    removals.rows.set("job_2", removalRow({ id: "job_2", userId: USER, tier: "basic", createdAt: secondsAgo(20) }));
    await expect(service().removeSingle({ userId: USER, fileName: "photo.png", bytes: photo, tier: "basic" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    expect(subscriptions.usage.size).toBe(0);
    expect(removals.rows.size).toBe(2);
    expect(storage.objects.size).toBe(0);
    expect(runs).toBe(0);
  });

  describe("removeSingle", () => {
    const request = () => ({ userId: USER, fileName: "photo.png", bytes: photo, tier: "standard" });

    it("charges the tier's price in the transaction that opens the job, then completes it with the result", async () => {
      credits.balances.set(USER, 100);
      const view = await service().removeSingle(request());

      const job = removals.rows.get(view.jobId)!;
      expect(job).toMatchObject({ status: "completed", pricingType: "credits", creditUsed: priceSingle("standard"), processingTimeMs: 12 });
      expect(credits.balances.get(USER)).toBe(100 - priceSingle("standard"));
      expect(credits.entries).toMatchObject([
        { reason: "removal", delta: -priceSingle("standard"), idempotencyKey: `debit:job:${job.id}` },
      ]);
      expect(await storage.size(job.originalFilePath)).toBe(photo.length);
      expect(await storage.size(job.processedFilePath!)).toBe(3);
    });

    it("gives the credits back when the engine fails", async () => {
      credits.balances.set(USER, 100);
      await expect(service(runner(new Error("engine crashed"))).removeSingle(request())).rejects.toThrow("engine crashed");

      const [job] = [...removals.rows.values()];
      expect(job).toMatchObject({ status: "failed", errorMessage: "engine crashed", refundedAt: NOW });
      expect(credits.balances.get(USER)).toBe(100);
      expect(credits.entries.map((entry) => [entry.reason, entry.delta])).toEqual([
        ["removal", -priceSingle("standard")],
        ["refund", priceSingle("standard")],
      ]);
    });

    it("lets a subscriber's removal use the day's quota instead of credits, and gives the use back when the engine fails", async () => {
      subscriptions.subscriptions.set("sub_1", subscription());
      await expect(service(runner(new Error("engine crashed"))).removeSingle(request())).rejects.toThrow("engine crashed");

      const [job] = [...removals.rows.values()];
      expect(job).toMatchObject({ status: "failed", pricingType: "subscription", creditUsed: 0, refundedAt: NOW });
      expect(subscriptions.counts("sub_1", "2026-12-04")).toMatchObject({ removals: 0, standard: 0 });
      expect(credits.entries).toEqual([]);

      await service().removeSingle(request());
      expect(subscriptions.counts("sub_1", "2026-12-04")).toMatchObject({ removals: 1, standard: 1 });
      expect(credits.entries).toEqual([]);
    });
  });
});
