import { PLANS } from "@bgr/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { createCreditLedger } from "../src/credits/credit-ledger.ts";
import { ManualPaymentProvider } from "../src/subscriptions/manual-payment-provider.ts";
import { createPaymentSettlement } from "../src/subscriptions/payment-settlement.ts";
import { SubscriptionMaintenanceService } from "../src/subscriptions/subscription-maintenance.service.ts";
import { SubscriptionService } from "../src/subscriptions/subscriptions.service.ts";
import { InMemoryCredits } from "./in-memory/credits.ts";
import { inMemoryDatabase } from "./in-memory/database.ts";
import { InMemoryPayments } from "./in-memory/payments.ts";
import { RecordingQueue } from "./in-memory/queue.ts";
import { InMemorySubscriptions, subscriptionRow } from "./in-memory/subscriptions.ts";
import { inMemoryUsers } from "./in-memory/users.ts";

const NOW = new Date("2026-12-04T10:00:00Z");
const USER = "usr_1";
const daysFromNow = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

describe("subscriptions over in-memory repositories", () => {
  let payments: InMemoryPayments;
  let subscriptions: InMemorySubscriptions;
  let queue: RecordingQueue;

  beforeEach(() => {
    payments = new InMemoryPayments();
    subscriptions = new InMemorySubscriptions();
    queue = new RecordingQueue();
  });

  function parts() {
    const credits = new InMemoryCredits({ [USER]: 0 });
    const settlement = createPaymentSettlement({
      payments: payments.repository,
      subscriptions: subscriptions.subscriptionRepository,
      users: inMemoryUsers,
      ledger: createCreditLedger(credits.repository),
    });
    const db = inMemoryDatabase(payments, subscriptions, credits);
    return { db, queue, provider: new ManualPaymentProvider(null), settlement };
  }

  function service() {
    const { settlement, ...book } = parts();
    return new SubscriptionService({
      ...book,
      now: () => NOW,
      quotaTimeZone: "UTC",
      repositories: {
        subscriptions: subscriptions.subscriptionRepository,
        payments: payments.repository,
        quota: subscriptions.quotaRepository,
        users: inMemoryUsers,
        settlement,
      },
    });
  }

  describe("subscribe", () => {
    it("gives no access until the plan's payment is paid, and answers a repeated request with the same payment", async () => {
      const first = await service().subscribe(USER, "starter");
      const again = await service().subscribe(USER, "starter");

      expect(first.payment).toMatchObject({ status: "pending", purpose: "subscribe", amount: PLANS.starter.monthlyPrice });
      expect(again.payment?.paymentId).toBe(first.payment?.paymentId);
      expect(payments.rows.size).toBe(1);
      const [row] = subscriptions.subscriptions.values();
      expect(row).toMatchObject({ userId: USER, plan: "starter", status: "pending", expiresAt: NOW });

      await service().settle(first.payment!.paymentId, { status: "paid" });
      expect(subscriptions.subscription(row!.id)).toMatchObject({ status: "active", lastPaymentId: first.payment!.paymentId });
      expect(subscriptions.subscription(row!.id).expiresAt.getTime()).toBeGreaterThan(NOW.getTime());
    });

    it("refuses a second plan while one runs, and resumes a cancelled plan that still runs without a new payment", async () => {
      subscriptions.subscriptions.set("sub_1", subscriptionRow({ userId: USER, plan: "pro" }));
      await expect(service().subscribe(USER, "pro")).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringContaining("already"),
      });
      await expect(service().subscribe(USER, "starter")).rejects.toMatchObject({
        code: "CONFLICT",
        message: expect.stringContaining("cancel it"),
      });

      subscriptions.subscriptions.set("sub_1", subscriptionRow({ userId: USER, plan: "pro", status: "cancelled", autoRenew: false }));
      const resumed = await service().subscribe(USER, "pro");
      expect(resumed.payment).toBeNull();
      expect(subscriptions.subscription("sub_1")).toMatchObject({ status: "active", autoRenew: true, cancelledAt: null });
      expect(payments.rows.size).toBe(0);
    });
  });

  describe("cancel", () => {
    it("answers NOT_FOUND without a subscription", async () => {
      await expect(service().cancel(USER)).rejects.toMatchObject({ code: "NOT_FOUND" });
    });

    it("ends a grace period's access at the unpaid period's end and voids its renewal payment", async () => {
      const periodEnd = daysFromNow(-1);
      subscriptions.subscriptions.set(
        "sub_1",
        subscriptionRow({ userId: USER, status: "grace_period", currentPeriodEnd: periodEnd, expiresAt: daysFromNow(2) }),
      );
      payments.add({
        userId: USER,
        subscriptionId: "sub_1",
        plan: "pro",
        purpose: "renewal",
        amount: 99_000,
        currency: "IDR",
        provider: "manual",
        createdAt: daysFromNow(-1),
      });

      await service().cancel(USER, "too expensive");
      expect(subscriptions.subscription("sub_1")).toMatchObject({
        status: "cancelled",
        autoRenew: false,
        cancelReason: "too expensive",
        expiresAt: periodEnd,
      });
      expect([...payments.rows.values()]).toMatchObject([{ status: "failed", failureReason: "subscription cancelled by the user" }]);
    });
  });

  it("expires only the subscriptions whose access ran out, once, mailing each owner", async () => {
    const maintenance = () => {
      const { settlement, ...book } = parts();
      return new SubscriptionMaintenanceService({
        ...book,
        repositories: {
          subscriptions: subscriptions.subscriptionRepository,
          payments: payments.repository,
          users: inMemoryUsers,
          settlement,
        },
      });
    };
    const past = daysFromNow(-1);
    for (const row of [
      subscriptionRow({ id: "sub_cancelled", userId: "usr_a", status: "cancelled", expiresAt: past, currentPeriodEnd: past }),
      subscriptionRow({ id: "sub_grace", userId: "usr_b", status: "grace_period", expiresAt: past, currentPeriodEnd: daysFromNow(-4) }),
      // Renews: left to the renewal run, which moves it to grace_period first.
      subscriptionRow({ id: "sub_renewing", userId: "usr_c", status: "active", autoRenew: true, expiresAt: past }),
      subscriptionRow({ id: "sub_running", userId: "usr_d", status: "cancelled", expiresAt: daysFromNow(3) }),
    ])
      subscriptions.subscriptions.set(row.id, row);

    expect(await maintenance().expireDue(NOW)).toEqual({ expired: ["sub_cancelled", "sub_grace"] });
    expect(await maintenance().expireDue(NOW)).toEqual({ expired: [] });

    expect([...subscriptions.subscriptions.values()].map((row) => [row.id, row.status])).toEqual([
      ["sub_cancelled", "expired"],
      ["sub_grace", "expired"],
      ["sub_renewing", "active"],
      ["sub_running", "cancelled"],
    ]);
    expect(queue.of("notificationMail")).toEqual([
      { kind: "subscription_expired", subscriptionId: "sub_cancelled", periodEnd: past.toISOString() },
      { kind: "subscription_expired", subscriptionId: "sub_grace", periodEnd: daysFromNow(-4).toISOString() },
    ]);
  });
});
