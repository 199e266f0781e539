import { backgroundRemoverSubscriptions, createDatabase, payments, users } from "@bgr/db";
import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskQueue } from "../src/queue/task-queue.ts";
import { ManualPaymentProvider } from "../src/subscriptions/manual-payment-provider.ts";
import type { PaymentProvider, PaymentStarted } from "../src/subscriptions/payment-provider.ts";
import { SubscriptionMaintenanceService } from "../src/subscriptions/subscription-maintenance.service.ts";
import { SubscriptionService } from "../src/subscriptions/subscriptions.service.ts";

let database: TestDatabase;
/** Settling and expiring queue their mail in the same transaction: a real pg-boss. */
let queue: TaskQueue;
const manual = new ManualPaymentProvider(null);

beforeAll(async () => {
  database = await createTestDatabase({ max: 10 });
  queue = await TaskQueue.start({ connectionString: database.url, expireInSeconds: 60 });
});
afterAll(async () => {
  await queue?.stop();
  await database?.close();
});

const at = (iso: string) => new Date(iso);

/** A user with a paid subscription that started at `start`. */
async function subscribed(userId: string, plan: "starter" | "pro", start: Date, provider: PaymentProvider = manual) {
  await database.db.insert(users).values({ id: userId }).onConflictDoNothing();
  const service = new SubscriptionService({ db: database.db, queue, provider, now: () => start, quotaTimeZone: "UTC" });
  const { payment } = await service.subscribe(userId, plan);
  if (payment!.status === "pending") await service.settle(payment!.paymentId, { status: "paid" });
  return service;
}

async function row(userId: string) {
  const [found] = await database.db.select().from(backgroundRemoverSubscriptions).where(eq(backgroundRemoverSubscriptions.userId, userId));
  return found!;
}

async function renewalPayments(userId: string) {
  return database.db
    .select()
    .from(payments)
    .where(and(eq(payments.userId, userId), eq(payments.purpose, "renewal")));
}

/** A gateway stand-in that settles renewals at once with a fixed outcome (or throws). */
function gateway(outcome: PaymentStarted["status"] | "throws"): PaymentProvider {
  return {
    name: `test-${outcome}`,
    async createPayment(request) {
      if (outcome === "throws") throw new Error("gateway timeout");
      return {
        providerReference: `ref-${request.paymentId}`,
        status: outcome,
        ...(outcome === "failed" ? { failureReason: "card expired" } : {}),
      };
    },
    parseWebhook() {
      throw new Error("not used");
    },
  };
}

describe("renewDue", () => {
  it("does nothing before the billing date", async () => {
    await subscribed("m-early", "starter", at("2025-03-01T08:00:00Z"));
    const maintenance = new SubscriptionMaintenanceService({ db: database.db, queue, provider: manual });
    await maintenance.renewDue(at("2025-03-31T07:59:59Z"));
    expect(await renewalPayments("m-early")).toHaveLength(0);
    expect((await row("m-early")).status).toBe("active");
  });

  it("creates one pending renewal per period, moves to grace, and a confirmation extends by a month", async () => {
    await subscribed("m-alice", "starter", at("2025-01-31T09:00:00Z"));
    const maintenance = new SubscriptionMaintenanceService({ db: database.db, queue, provider: manual, graceDays: 3 });
    const due = at("2025-02-28T09:00:00Z"); // Jan 31 + 1 month, clamped

    const first = await maintenance.renewDue(due);
    expect(first).toMatchObject({ attempted: 1, pending: 1 });
    expect(await row("m-alice")).toMatchObject({ status: "grace_period", expiresAt: at("2025-03-03T09:00:00Z"), currentPeriodEnd: due });
    // Idempotent: a second run (or a second scheduler) adds nothing.
    expect(await maintenance.renewDue(at("2025-02-28T10:00:00Z"))).toMatchObject({ attempted: 0 });
    const renewals = await renewalPayments("m-alice");
    expect(renewals).toMatchObject([{ status: "pending", amount: 99000, provider: "manual" }]);

    // Still usable during grace; confirming extends from the old period end, anchored to the 31st.
    const confirmed = new SubscriptionService({
      db: database.db,
      queue,
      provider: manual,
      now: () => at("2025-03-02T00:00:00Z"),
      quotaTimeZone: "UTC",
    });
    await confirmed.settle(renewals[0]!.id, { status: "paid" });
    expect(await row("m-alice")).toMatchObject({
      status: "active",
      currentPeriodEnd: at("2025-03-31T09:00:00Z"),
      expiresAt: at("2025-03-31T09:00:00Z"),
      nextBillingDate: at("2025-03-31T09:00:00Z"),
      subscribedAt: at("2025-01-31T09:00:00Z"),
    });
  });

  it("is safe to run in two processes at once: one payment per period", async () => {
    await subscribed("m-race", "pro", at("2025-01-10T00:00:00Z"));
    const handles = [createDatabase(database.url, { max: 3 }), createDatabase(database.url, { max: 3 })];
    try {
      const runs = await Promise.all(
        [...handles, ...handles].map((h) =>
          new SubscriptionMaintenanceService({ db: h.db, queue, provider: manual }).renewDue(at("2025-02-10T00:00:00Z")),
        ),
      );
      expect(runs.reduce((sum, r) => sum + r.attempted, 0)).toBe(1);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    expect(await renewalPayments("m-race")).toHaveLength(1);
    expect((await row("m-race")).status).toBe("grace_period");
  });

  it("leaves cancelled subscriptions alone", async () => {
    const service = await subscribed("m-cancel", "starter", at("2025-01-05T00:00:00Z"));
    await service.cancel("m-cancel");
    await new SubscriptionMaintenanceService({ db: database.db, queue, provider: manual }).renewDue(at("2025-02-05T00:00:00Z"));
    expect(await renewalPayments("m-cancel")).toHaveLength(0);
  });

  it("with a gateway that settles at once: paid extends immediately, failed and errors leave grace", async () => {
    await subscribed("m-paid", "starter", at("2025-01-20T00:00:00Z"));
    await subscribed("m-declined", "starter", at("2025-01-20T00:00:00Z"));
    await subscribed("m-timeout", "starter", at("2025-01-20T00:00:00Z"));
    const due = at("2025-02-20T00:00:00Z");

    // Each user renews through its own gateway stand-in; the others are not due twice.
    expect(
      await new SubscriptionMaintenanceService({ db: database.db, queue, provider: gateway("paid"), batchSize: 1 }).renewDue(due),
    ).toMatchObject({ attempted: 1 });
    expect(
      await new SubscriptionMaintenanceService({ db: database.db, queue, provider: gateway("failed"), batchSize: 1 }).renewDue(due),
    ).toMatchObject({ attempted: 1 });
    expect(
      await new SubscriptionMaintenanceService({ db: database.db, queue, provider: gateway("throws"), batchSize: 1 }).renewDue(due),
    ).toMatchObject({ attempted: 1, failed: 1 });

    const states = await Promise.all(
      ["m-paid", "m-declined", "m-timeout"].map(async (id) => ({ sub: await row(id), pay: (await renewalPayments(id))[0]! })),
    );
    const byOutcome = Object.fromEntries(states.map((s) => [s.pay.provider, s]));
    expect(byOutcome["test-paid"]).toMatchObject({
      sub: { status: "active", currentPeriodEnd: at("2025-03-20T00:00:00Z") },
      pay: { status: "paid", providerReference: expect.stringMatching(/^ref-/) },
    });
    expect(byOutcome["test-failed"]).toMatchObject({
      sub: { status: "grace_period", expiresAt: at("2025-02-23T00:00:00Z") },
      pay: { status: "failed", failureReason: "card expired" },
    });
    expect(byOutcome["test-throws"]).toMatchObject({
      sub: { status: "grace_period" },
      pay: { status: "failed", failureReason: expect.stringContaining("gateway timeout") },
    });
  });
});

describe("expireDue", () => {
  it("expires lapsed grace periods and cancelled plans, never an auto-renewing active one", async () => {
    await subscribed("e-grace", "starter", at("2025-04-01T00:00:00Z"));
    const cancelled = await subscribed("e-cancelled", "starter", at("2025-04-01T00:00:00Z"));
    await cancelled.cancel("e-cancelled");
    const maintenance = new SubscriptionMaintenanceService({ db: database.db, queue, provider: manual, graceDays: 3 });
    const [grace, gone] = [(await row("e-grace")).id, (await row("e-cancelled")).id];
    const mine = (ids: string[]) => ids.filter((id) => id === grace || id === gone);

    // The instant the period ends, before the renewal run: the cancelled plan expires, the renewing one is left to renewDue.
    expect(mine((await maintenance.expireDue(at("2025-05-01T00:00:00Z"))).expired)).toEqual([gone]);
    expect((await row("e-grace")).status).toBe("active");

    await maintenance.renewDue(at("2025-05-01T00:00:00Z"));
    expect(await row("e-grace")).toMatchObject({ status: "grace_period", expiresAt: at("2025-05-04T00:00:00Z") });
    expect(mine((await maintenance.expireDue(at("2025-05-03T23:59:59Z"))).expired)).toEqual([]);

    // After the grace: expired, once, even with two runs at the same time.
    const runs = await Promise.all([maintenance.expireDue(at("2025-05-04T00:00:00Z")), maintenance.expireDue(at("2025-05-04T00:00:00Z"))]);
    expect(mine(runs.flatMap((r) => r.expired))).toEqual([grace]);
    expect(await row("e-grace")).toMatchObject({ status: "expired", nextBillingDate: null });
    expect(await row("e-cancelled")).toMatchObject({ status: "expired" });
    expect(mine((await maintenance.expireDue(at("2025-05-05T00:00:00Z"))).expired)).toEqual([]);
  });

  it("a renewal confirmed after expiry starts a fresh month from the payment", async () => {
    const renewals = await renewalPayments("e-grace");
    const late = new SubscriptionService({
      db: database.db,
      queue,
      provider: manual,
      now: () => at("2025-05-10T12:00:00Z"),
      quotaTimeZone: "UTC",
    });
    await late.settle(renewals[0]!.id, { status: "paid" });
    expect(await row("e-grace")).toMatchObject({
      status: "active",
      subscribedAt: at("2025-05-10T12:00:00Z"),
      currentPeriodEnd: at("2025-06-10T12:00:00Z"),
    });
  });
});

/** The notification-mail jobs queued for one subscription or payment (pg-boss's own table). */
async function mailJobs(field: "subscriptionId" | "paymentId", id: string) {
  const rows =
    (await database.sql`select data from pgboss.job where name = 'notification-mail' and data->>${field} = ${id}`) as unknown as {
      data: Record<string, string>;
    }[];
  return rows.map((row) => row.data);
}

describe("mail about plans and payments", () => {
  it("an expired plan queues one 'plan ended' mail, in the expiring transaction", async () => {
    const cancelled = await subscribed("n-ended", "starter", at("2025-07-01T00:00:00Z"));
    await cancelled.cancel("n-ended");
    const id = (await row("n-ended")).id;
    const maintenance = new SubscriptionMaintenanceService({ db: database.db, queue, provider: manual });
    await maintenance.expireDue(at("2025-08-01T00:00:00Z"));
    await maintenance.expireDue(at("2025-08-01T00:05:00Z")); // already expired: nothing more
    expect(await mailJobs("subscriptionId", id)).toEqual([
      { kind: "subscription_expired", subscriptionId: id, periodEnd: "2025-08-01T00:00:00.000Z" },
    ]);
  });

  it("reminds once per period, in the daily run whose window holds 'three days before the end'", async () => {
    await subscribed("n-renews", "pro", at("2025-09-10T06:00:00Z"));
    const id = (await row("n-renews")).id;
    const maintenance = new SubscriptionMaintenanceService({ db: database.db, queue, provider: manual });
    // Daily at 01:00 UTC: 4 days before the end is too early, 3 days before (minus 5 h) is the run, 2 days before is past the window.
    const daily = ["2025-10-06T01:00:00Z", "2025-10-07T01:00:00Z", "2025-10-08T01:00:00Z"];
    const reminded = [];
    for (const day of daily) reminded.push((await maintenance.remindDue(at(day))).reminded.includes(id));
    expect(reminded).toEqual([false, true, false]);
    expect(await mailJobs("subscriptionId", id)).toEqual([
      { kind: "subscription_renewing", subscriptionId: id, periodEnd: "2025-10-10T06:00:00.000Z" },
    ]);
  });

  it("closes pending payments past their deadline, and a paid one queues its 'payment received' mail once", async () => {
    await database.db.insert(users).values({ id: "n-payer" }).onConflictDoNothing();
    const [late, paid] = await database.db
      .insert(payments)
      .values([
        {
          userId: "n-payer",
          purpose: "credits",
          creditPack: "pack_100",
          credits: 100,
          amount: 50_000,
          currency: "IDR",
          provider: "manual",
          status: "pending",
          createdAt: at("2025-11-01T00:00:00Z"),
          expiresAt: at("2025-11-02T00:00:00Z"),
        },
        {
          userId: "n-payer",
          purpose: "credits",
          creditPack: "pack_100",
          credits: 100,
          amount: 50_000,
          currency: "IDR",
          provider: "manual",
          status: "pending",
          createdAt: at("2025-11-01T00:00:00Z"),
          expiresAt: at("2025-11-09T00:00:00Z"),
        },
      ])
      .returning();
    const maintenance = new SubscriptionMaintenanceService({ db: database.db, queue, provider: manual });
    expect((await maintenance.expirePayments(at("2025-11-02T00:00:00Z"))).expired).toBeGreaterThanOrEqual(1);
    const rows = await database.db.select().from(payments).where(eq(payments.userId, "n-payer"));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [late!.id]: "expired", [paid!.id]: "pending" });
    expect(await mailJobs("paymentId", late!.id)).toEqual([]);

    const service = new SubscriptionService({
      db: database.db,
      queue,
      provider: manual,
      now: () => at("2025-11-03T00:00:00Z"),
      quotaTimeZone: "UTC",
    });
    await service.settle(paid!.id, { status: "paid" });
    await service.settle(paid!.id, { status: "paid" }); // a repeated confirmation changes nothing and queues nothing
    expect(await mailJobs("paymentId", paid!.id)).toEqual([{ kind: "payment_settled", paymentId: paid!.id }]);
  });
});
