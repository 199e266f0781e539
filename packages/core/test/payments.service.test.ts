import { CREDIT_PACKS } from "@bgr/domain";
import { beforeEach, describe, expect, it } from "vitest";
import { createCreditLedger } from "../src/credits/credit-ledger.ts";
import { PaymentsService } from "../src/payments/payments.service.ts";
import { ManualPaymentProvider } from "../src/subscriptions/manual-payment-provider.ts";
import { createPaymentSettlement } from "../src/subscriptions/payment-settlement.ts";
import { InMemoryCredits } from "./in-memory/credits.ts";
import { inMemoryDatabase } from "./in-memory/database.ts";
import { InMemoryPayments } from "./in-memory/payments.ts";
import { RecordingQueue } from "./in-memory/queue.ts";
import { InMemorySubscriptions } from "./in-memory/subscriptions.ts";
import { inMemoryUsers } from "./in-memory/users.ts";

const NOW = new Date("2026-12-04T10:00:00Z");
const USER = "usr_1";
const PACK = CREDIT_PACKS.pack_500;

describe("PaymentsService over in-memory repositories", () => {
  let payments: InMemoryPayments;
  let credits: InMemoryCredits;
  let subscriptions: InMemorySubscriptions;
  let queue: RecordingQueue;
  let clock: Date;

  beforeEach(() => {
    payments = new InMemoryPayments();
    credits = new InMemoryCredits({ [USER]: 0 });
    subscriptions = new InMemorySubscriptions();
    queue = new RecordingQueue();
    clock = NOW;
  });

  function service() {
    const settlement = createPaymentSettlement({
      payments: payments.repository,
      subscriptions: subscriptions.subscriptionRepository,
      users: inMemoryUsers,
      ledger: createCreditLedger(credits.repository),
    });
    return new PaymentsService({
      db: inMemoryDatabase(payments, credits, subscriptions),
      queue,
      provider: new ManualPaymentProvider(null),
      now: () => clock,
      pendingHours: 24,
      timeZone: "UTC",
      repositories: { payments: payments.repository, settlement },
    });
  }

  it("opens a pending payment for a pack, handed to the provider, and lands no credits before it is paid", async () => {
    const { payment, instructions } = await service().buyPack(USER, PACK.id);

    expect(payment).toMatchObject({ status: "pending", amount: PACK.price, credits: PACK.credits });
    expect(payments.get(payment.paymentId)).toMatchObject({
      providerReference: payment.paymentId,
      expiresAt: new Date(NOW.getTime() + 24 * 3_600_000),
    });
    expect(instructions).toContain(payment.paymentId);
    expect(credits.entries).toEqual([]);

    await expect(service().buyPack(USER, "pack_7")).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
    expect(payments.rows.size).toBe(1);
  });

  it("lands a paid pack's credits once, however often the payment is reported paid, and refuses another outcome after it", async () => {
    const { payment } = await service().buyPack(USER, PACK.id);

    expect(await service().settle(payment.paymentId, { status: "paid", amount: PACK.price })).toMatchObject({
      changed: true,
      payment: { status: "paid" },
    });
    expect(await service().settle(payment.paymentId, { status: "paid" })).toMatchObject({ changed: false });
    await expect(service().settle(payment.paymentId, { status: "failed" })).rejects.toMatchObject({ code: "CONFLICT" });

    expect(credits.balances.get(USER)).toBe(PACK.credits);
    expect(credits.entries).toMatchObject([{ reason: "purchase", delta: PACK.credits, idempotencyKey: `payment:${payment.paymentId}` }]);
    expect(queue.of("notificationMail")).toEqual([{ kind: "payment_settled", paymentId: payment.paymentId }]);
  });

  it("refuses a paid report for another amount and credits nothing", async () => {
    const { payment } = await service().buyPack(USER, PACK.id);
    await expect(service().settle(payment.paymentId, { status: "paid", amount: PACK.price - 1 })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    expect(payments.get(payment.paymentId).status).toBe("pending");
    expect(credits.entries).toEqual([]);
    expect(queue.enqueued).toEqual([]);
  });

  it("expires a payment left unpaid past its deadline when its owner looks, and then refuses it as paid", async () => {
    const { payment } = await service().buyPack(USER, PACK.id);
    clock = new Date(NOW.getTime() + 24 * 3_600_000);

    expect(await service().list(USER)).toMatchObject([{ paymentId: payment.paymentId, status: "expired" }]);
    await expect(service().settle(payment.paymentId, { status: "paid" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(credits.balances.get(USER)).toBe(0);
  });
});
