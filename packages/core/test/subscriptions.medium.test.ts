import {
  backgroundRemoverSubscriptionUsage,
  backgroundRemoverSubscriptions,
  createDatabase,
  payments,
  users,
  type DatabaseHandle,
} from "@bgr/db";
import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import { isDomainError } from "@bgr/domain";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskQueue } from "../src/queue/task-queue.ts";
import { ManualPaymentProvider, signWebhookBody } from "../src/subscriptions/manual-payment-provider.ts";
import { useQuotaOrDecideCredits } from "../src/subscriptions/quota.ts";
import { SubscriptionService } from "../src/subscriptions/subscriptions.service.ts";

let database: TestDatabase;
/** Settling and expiring queue their mail in the same transaction: a real pg-boss. */
let queue: TaskQueue;
const clock = new Date("2025-01-15T10:00:00Z");
let service: SubscriptionService;
const SECRET = "webhook-secret-for-tests-0123456789";

beforeAll(async () => {
  database = await createTestDatabase({ max: 20 });
  queue = await TaskQueue.start({ connectionString: database.url, expireInSeconds: 60 });
  service = new SubscriptionService({
    db: database.db,
    queue,
    provider: new ManualPaymentProvider(SECRET),
    now: () => clock,
    quotaTimeZone: "UTC",
  });
});
afterAll(async () => {
  await queue?.stop();
  await database?.close();
});

async function user(id: string) {
  await database.db.insert(users).values({ id }).onConflictDoNothing();
  return id;
}

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("subscribing and paying", () => {
  it("creates a pending subscription and payment that pays for nothing until confirmed", async () => {
    const userId = await user("sub-alice");
    const result = await service.subscribe(userId, "pro");
    expect(result.payment).toMatchObject({
      status: "pending",
      purpose: "subscribe",
      plan: "pro",
      amount: 299000,
      currency: "IDR",
      provider: "manual",
    });
    expect(result.subscription).toMatchObject({ hasSubscription: false, pendingPayment: { paymentId: result.payment!.paymentId } });
    expect(result.instructions).toContain(result.payment!.paymentId);

    // Asking again returns the same payment rather than a second bill.
    const again = await service.subscribe(userId, "pro");
    expect(again.payment!.paymentId).toBe(result.payment!.paymentId);

    const settled = await service.settle(result.payment!.paymentId, { status: "paid" });
    expect(settled).toMatchObject({ changed: true, payment: { status: "paid" } });
    const view = await service.get(userId);
    expect(view).toMatchObject({
      hasSubscription: true,
      plan: "pro",
      status: "active",
      billing: {
        subscribedAt: "2025-01-15T10:00:00.000Z",
        currentPeriodEnd: "2025-02-15T10:00:00.000Z",
        nextBillingDate: "2025-02-15T10:00:00.000Z",
        autoRenew: true,
      },
      quotas: {
        daily: { limit: 200, used: 0, remaining: 200, resetsAt: "2025-01-16T00:00:00.000Z" },
        professionalTier: { limit: 50, used: 0, remaining: 50 },
      },
      pendingPayment: null,
    });

    // A redelivered confirmation changes nothing; the opposite outcome is refused.
    expect(await service.settle(result.payment!.paymentId, { status: "paid" })).toMatchObject({ changed: false });
    expect(await service.get(userId)).toMatchObject({ billing: { currentPeriodEnd: "2025-02-15T10:00:00.000Z" } });
    expect(isDomainError(await rejection(service.settle(result.payment!.paymentId, { status: "failed" })), "CONFLICT")).toBe(true);
  });

  it("refuses a second subscription while one runs, saying what to do", async () => {
    const error = await rejection(service.subscribe("sub-alice", "starter"));
    expect(isDomainError(error, "CONFLICT")).toBe(true);
    expect((error as Error).message).toContain("cancel it");
    expect(isDomainError(await rejection(service.subscribe("sub-alice", "gold")), "INVALID_OPTIONS")).toBe(true);
  });

  it("voids the pending payment when another plan is asked for before paying", async () => {
    const userId = await user("sub-bob");
    const first = await service.subscribe(userId, "starter");
    const second = await service.subscribe(userId, "pro");
    expect(second.payment!.paymentId).not.toBe(first.payment!.paymentId);
    const [old] = await database.db.select().from(payments).where(eq(payments.id, first.payment!.paymentId));
    expect(old).toMatchObject({ status: "failed" });
    expect(isDomainError(await rejection(service.settle(first.payment!.paymentId, { status: "paid" })), "CONFLICT")).toBe(true);
    await service.settle(second.payment!.paymentId, { status: "paid" });
    expect(await service.get(userId)).toMatchObject({ hasSubscription: true, plan: "pro" });
  });

  it("a failed first payment leaves the subscription pending, and a new request starts a new payment", async () => {
    const userId = await user("sub-fail");
    const first = await service.subscribe(userId, "starter");
    await service.settle(first.payment!.paymentId, { status: "failed", reason: "card declined" });
    expect(await service.get(userId)).toMatchObject({ hasSubscription: false, pendingPayment: null });
    const second = await service.subscribe(userId, "starter");
    expect(second.payment!.paymentId).not.toBe(first.payment!.paymentId);
  });

  it("answers NOT_FOUND for an unknown payment", async () => {
    expect(isDomainError(await rejection(service.settle("pay_nope", { status: "paid" })), "NOT_FOUND")).toBe(true);
  });
});

describe("cancelling", () => {
  it("keeps access until the period ends, stops renewal, and can be resumed", async () => {
    const cancelled = await service.cancel("sub-alice", "too expensive");
    expect(cancelled).toMatchObject({
      hasSubscription: true,
      status: "cancelled",
      billing: { autoRenew: false, nextBillingDate: null, expiresAt: "2025-02-15T10:00:00.000Z", cancelledAt: clock.toISOString() },
    });
    // Cancelling twice is harmless.
    expect(await service.cancel("sub-alice")).toMatchObject({ status: "cancelled" });
    const resumed = await service.subscribe("sub-alice", "pro");
    expect(resumed.payment).toBeNull();
    expect(resumed.subscription).toMatchObject({
      status: "active",
      billing: { autoRenew: true, nextBillingDate: "2025-02-15T10:00:00.000Z" },
    });
  });

  it("withdraws a pending subscription and voids its payment", async () => {
    const userId = await user("sub-carol");
    const { payment } = await service.subscribe(userId, "starter");
    expect(await service.cancel(userId)).toMatchObject({ hasSubscription: false, pendingPayment: null });
    const [row] = await database.db.select().from(payments).where(eq(payments.id, payment!.paymentId));
    expect(row!.status).toBe("failed");
  });

  it("answers NOT_FOUND with nothing to cancel", async () => {
    await user("sub-nobody");
    expect(isDomainError(await rejection(service.cancel("sub-nobody")), "NOT_FOUND")).toBe(true);
  });
});

describe("webhook", () => {
  const send = (body: object, signature?: string) => {
    const raw = Buffer.from(JSON.stringify(body));
    return service.handleWebhook(raw, { "x-signature": signature ?? signWebhookBody(SECRET, raw) });
  };

  it("settles a payment when the signature matches, once", async () => {
    const userId = await user("sub-dave");
    const { payment } = await service.subscribe(userId, "starter");
    expect(await send({ paymentId: payment!.paymentId, status: "paid" })).toEqual({
      paymentId: payment!.paymentId,
      status: "paid",
      changed: true,
    });
    expect(await send({ paymentId: payment!.paymentId, status: "paid" })).toMatchObject({ changed: false });
    expect(await service.get(userId)).toMatchObject({ hasSubscription: true, plan: "starter" });
  });

  it("refuses a wrong or missing signature", async () => {
    expect(isDomainError(await rejection(send({ paymentId: "pay_x", status: "paid" }, "00".repeat(32))), "UNAUTHORIZED")).toBe(true);
    expect(isDomainError(await rejection(send({ paymentId: "pay_x", status: "paid" }, "")), "UNAUTHORIZED")).toBe(true);
    const unsigned = new SubscriptionService({
      db: database.db,
      queue,
      provider: new ManualPaymentProvider(null),
      now: () => clock,
      quotaTimeZone: "UTC",
    });
    const raw = Buffer.from("{}");
    const error = await rejection(unsigned.handleWebhook(raw, { "x-signature": signWebhookBody(SECRET, raw) }));
    expect((error as Error).message).toContain("PAYMENT_WEBHOOK_SECRET");
  });
});

describe("quota counting", () => {
  it("never counts past the daily quota, even from transactions that skip lockUser", async () => {
    const userId = await user("sub-erin");
    const { payment } = await service.subscribe(userId, "starter");
    await service.settle(payment!.paymentId, { status: "paid" });
    const [sub] = await database.db.select().from(backgroundRemoverSubscriptions).where(eq(backgroundRemoverSubscriptions.userId, userId));
    await database.db
      .insert(backgroundRemoverSubscriptionUsage)
      .values({ subscriptionId: sub!.id, userId, date: "2025-01-15", tier: "all", removalsCount: 45, basicCount: 45 });

    // Separate pools, like separate server processes.
    const pools: DatabaseHandle[] = Array.from({ length: 4 }, () => createDatabase(database.url, { max: 5 }));
    try {
      const decisions = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          pools[i % pools.length]!.db.transaction((tx) =>
            useQuotaOrDecideCredits(tx, { userId, tier: "basic", now: clock, timeZone: "UTC" }),
          ),
        ),
      );
      expect(decisions.filter((d) => d.pay === "subscription")).toHaveLength(5);
      expect(decisions.filter((d) => d.pay === "credits")).toHaveLength(15);
      expect(decisions.find((d) => d.pay === "credits")).toMatchObject({ credits: 3, reason: "quota_exhausted" });
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    const [row] = await database.db
      .select()
      .from(backgroundRemoverSubscriptionUsage)
      .where(eq(backgroundRemoverSubscriptionUsage.subscriptionId, sub!.id));
    expect(row).toMatchObject({ removalsCount: 50, basicCount: 50 });
    expect(await service.get(userId)).toMatchObject({ quotas: { daily: { limit: 50, used: 50, remaining: 0 } } });
  });

  it("counts in the quota day of the configured time zone", async () => {
    const userId = await user("sub-frank");
    const { payment } = await service.subscribe(userId, "pro");
    await service.settle(payment!.paymentId, { status: "paid" });
    // 18:00Z on the 15th is already the 16th in Jakarta (UTC+7).
    const late = new Date("2025-01-15T18:00:00Z");
    const decision = await database.db.transaction((tx) =>
      useQuotaOrDecideCredits(tx, { userId, tier: "professional", now: late, timeZone: "Asia/Jakarta" }),
    );
    expect(decision).toEqual({ pay: "subscription" });
    const rows = await database.db
      .select()
      .from(backgroundRemoverSubscriptionUsage)
      .where(eq(backgroundRemoverSubscriptionUsage.userId, userId));
    expect(rows).toMatchObject([{ date: "2025-01-16", tier: "all", removalsCount: 1, professionalCount: 1, basicCount: 0 }]);
  });
});
