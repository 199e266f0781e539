/**
 * How a payment's outcome reaches what it bought, whoever reports it (gateway webhook, admin, a
 * gateway that settles at once, the renewal run). `settlePayment` is the only code that turns money
 * received into access or credits, and it does so once per payment.
 */
import type { Database, Executor, Payment } from "@bgr/db";
import { DomainError, formatRupiah, PLANS, periodAfterPayment, type PendingPaymentView } from "@bgr/domain";
import { creditLedgerService, type CreditLedger } from "../credits/credit-ledger.ts";
import { paymentRepository, type PaymentRepository } from "../payments/payment.repository.ts";
import { subscriptionRepository, type SubscriptionRepository } from "./subscription.repository.ts";
import { userRepository, type UserRepository } from "../users/user.repository.ts";
import type { TaskQueue } from "../queue/task-queue.ts";
import type { PaymentProvider, WebhookHeaders } from "./payment-provider.ts";

/** Where payments are kept, and the queue their "payment received" mail goes on, in the same transaction. */
export interface PaymentBook {
  db: Database;
  queue: Pick<TaskQueue, "enqueue">;
}

export interface PaymentOutcome {
  status: "paid" | "failed" | "expired";
  reason?: string;
  /** What the gateway says it received; a paid report for another amount is refused and lands nothing. */
  amount?: number;
}

export interface SettledPayment {
  payment: Payment;
  /** False when the payment already had this outcome (a redelivered webhook, a repeated CLI call). */
  changed: boolean;
}

export interface CollectedPayment {
  payment: Payment;
  instructions: string | null;
}

/** The rows settling a payment reads and changes, and the ledger a credit pack's credits land through. */
export interface PaymentSettlementRepositories {
  payments: PaymentRepository;
  subscriptions: SubscriptionRepository;
  users: Pick<UserRepository, "lock">;
  ledger: CreditLedger;
}

/** Payment settlement over its repositories (the drizzle ones below; unit tests pass them in memory). */
export function createPaymentSettlement(repositories: PaymentSettlementRepositories) {
  const { payments, subscriptions, users, ledger } = repositories;

  /**
   * Records a payment as paid, failed or expired. Paid: a subscription becomes active for the period the
   * payment buys (see periodAfterPayment); a credit pack lands its credits as one ledger row pointing at
   * the payment. Idempotent: the same outcome twice changes nothing; another outcome after the first is
   * refused, since money cannot be both received and not.
   */
  async function settlePayment({ db, queue }: PaymentBook, paymentId: string, outcome: PaymentOutcome, now: Date): Promise<SettledPayment> {
    return db.transaction(async (tx) => {
      const owner = await payments.find(tx, paymentId);
      if (!owner)
        throw new DomainError(
          "NOT_FOUND",
          `No payment ${paymentId}. Check the id (it starts with "pay_") against GET /payments or the gateway's dashboard.`,
        );
      // Same lock order as subscribe and cancel (user, then rows), so they never deadlock.
      await users.lock(tx, owner.userId);
      let payment = await payments.lock(tx, paymentId);
      // Past its deadline a pending payment is expired, whoever looks first (a sweep, a late webhook).
      if (payment!.status === "pending" && payment!.expiresAt && payment!.expiresAt.getTime() <= now.getTime()) {
        payment = await payments.update(tx, paymentId, {
          status: "expired",
          failedAt: now,
          failureReason: "not paid before it expired",
        });
      }
      if (payment!.status === outcome.status) return { payment: payment!, changed: false };
      if (payment!.status !== "pending") {
        throw new DomainError(
          "CONFLICT",
          `Payment ${paymentId} is already ${payment!.status}${payment!.failureReason ? ` (${payment!.failureReason})` : ""}; it cannot become ${outcome.status}. If money was received for it, refund it, or start a new payment.`,
        );
      }

      if (outcome.status !== "paid") {
        const closed = await payments.update(tx, paymentId, {
          status: outcome.status,
          failedAt: now,
          failureReason: outcome.reason ?? `reported ${outcome.status} by the payment provider`,
        });
        return { payment: closed, changed: true };
      }
      if (outcome.amount !== undefined && outcome.amount !== payment!.amount) {
        throw new DomainError(
          "CONFLICT",
          `Payment ${paymentId} is for ${formatRupiah(payment!.amount)} but the provider reports ${formatRupiah(outcome.amount)} received; nothing was credited. Reconcile it in the gateway's dashboard.`,
        );
      }

      if (payment!.purpose === "credits") {
        const paid = await payments.update(tx, paymentId, { status: "paid", paidAt: now });
        // The status change under the row lock lands them once; the key is the second guard.
        await ledger.credit(tx, {
          userId: payment!.userId,
          amount: payment!.credits!,
          reason: "purchase",
          referenceType: "payment",
          referenceId: paymentId,
          idempotencyKey: `payment:${paymentId}`,
        });
        await queue.enqueue(tx, "notificationMail", [{ kind: "payment_settled", paymentId }]);
        return { payment: paid, changed: true };
      }

      const paid = await payments.update(tx, paymentId, { status: "paid", paidAt: now });
      const subscription = await subscriptions.lock(tx, payment!.subscriptionId!);
      const period = periodAfterPayment(subscription!, now);
      const plan = PLANS[payment!.plan!];
      await subscriptions.update(tx, payment!.subscriptionId!, {
        status: "active",
        // A fresh start takes the plan that was paid for; an extension keeps the running one's terms.
        ...(period.fresh
          ? {
              plan: plan.name,
              monthlyPrice: plan.monthlyPrice,
              currency: plan.currency,
              dailyQuota: plan.dailyQuota,
              professionalDailyQuota: plan.professionalDailyQuota,
              allowedTiers: [...plan.allowedTiers],
            }
          : {}),
        subscribedAt: period.subscribedAt,
        currentPeriodEnd: period.currentPeriodEnd,
        expiresAt: period.currentPeriodEnd,
        nextBillingDate: period.currentPeriodEnd,
        autoRenew: true,
        cancelledAt: null,
        cancelReason: null,
        lastPaymentId: paymentId,
        updatedAt: now,
      });
      await queue.enqueue(tx, "notificationMail", [{ kind: "payment_settled", paymentId }]);
      return { payment: paid, changed: true };
    });
  }

  /**
   * Closes pending payments past their deadline (one user's, or anyone's up to `limit`) through
   * settlePayment, which decides and records it. The payments list runs it for its user before it
   * reads; the 5-minute upkeep runs it for everyone, so nobody is left "waiting" forever.
   */
  async function expireOverduePayments(book: PaymentBook, now: Date, scope: { userId: string } | { limit: number }): Promise<number> {
    const due = await payments.overdueIds(book.db, now, scope);
    for (const id of due) await settlePayment(book, id, { status: "expired" }, now);
    return due.length;
  }

  /**
   * Hands a committed pending payment to the provider (outside any transaction: gateways are slow),
   * records the gateway's reference, and settles it at once when the gateway already knows the outcome.
   * A provider that throws fails the payment and the error goes to the caller.
   */
  async function collectPayment(
    book: PaymentBook,
    provider: PaymentProvider,
    payment: Payment,
    now: () => Date,
  ): Promise<CollectedPayment> {
    const { db } = book;
    let started;
    try {
      started = await provider.createPayment({
        paymentId: payment.id,
        userId: payment.userId,
        purpose: payment.purpose,
        plan: payment.plan,
        amount: payment.amount,
        currency: payment.currency,
        description:
          payment.purpose === "credits"
            ? `Background Remover, ${payment.credits} credits`
            : `Background Remover ${payment.plan} plan, one month${payment.purpose === "renewal" ? " (renewal)" : ""}`,
        expiresAt: payment.expiresAt,
      });
    } catch (error) {
      const reason = `the payment provider refused or did not answer: ${error instanceof Error ? error.message : String(error)}`;
      await settlePayment(book, payment.id, { status: "failed", reason }, now());
      throw new DomainError("BUSY", `We could not start the payment (${reason}). Try again in a minute.`, { retryAfterSeconds: 60 });
    }
    let current = await payments.update(db, payment.id, {
      providerReference: started.providerReference,
      checkoutUrl: started.checkoutUrl ?? null,
      // The gateway's invoice deadline wins when it is earlier than ours.
      ...(started.expiresAt && (!payment.expiresAt || started.expiresAt < payment.expiresAt) ? { expiresAt: started.expiresAt } : {}),
    });
    if (started.status !== "pending") {
      current = (
        await settlePayment(
          book,
          payment.id,
          { status: started.status, ...(started.failureReason ? { reason: started.failureReason } : {}) },
          now(),
        )
      ).payment;
    }
    return { payment: current, instructions: started.instructions ?? null };
  }

  /** The newest pending payment of a subscription, as GET /subscription shows it. */
  async function pendingPaymentOf(executor: Executor, subscriptionId: string): Promise<PendingPaymentView | null> {
    const [newest] = await payments.pendingOf(executor, subscriptionId);
    return newest ? paymentView(newest) : null;
  }

  /**
   * A provider's webhook: the provider authenticates the call (UNAUTHORIZED otherwise) and says what
   * happened; the payment is found by our id or the gateway's reference and settled once.
   */
  async function settleFromWebhook(
    book: PaymentBook,
    provider: PaymentProvider,
    rawBody: Uint8Array,
    headers: WebhookHeaders,
    now: Date,
  ): Promise<{ paymentId: string; status: Payment["status"]; changed: boolean }> {
    const event = provider.parseWebhook(rawBody, headers);
    let paymentId = event.paymentId;
    if (!paymentId) {
      const row = event.providerReference ? await payments.findByProviderReference(book.db, provider.name, event.providerReference) : null;
      if (!row) throw new DomainError("NOT_FOUND", `No payment with ${provider.name} reference ${event.providerReference ?? "(none)"}.`);
      paymentId = row.id;
    }
    const settled = await settlePayment(
      book,
      paymentId,
      {
        status: event.status,
        ...(event.failureReason ? { reason: event.failureReason } : {}),
        ...(event.amount !== undefined ? { amount: event.amount } : {}),
      },
      now,
    );
    return { paymentId, status: settled.payment.status, changed: settled.changed };
  }

  return { settlePayment, expireOverduePayments, collectPayment, pendingPaymentOf, settleFromWebhook };
}

export type PaymentSettlement = ReturnType<typeof createPaymentSettlement>;

export const paymentSettlement: PaymentSettlement = createPaymentSettlement({
  payments: paymentRepository,
  subscriptions: subscriptionRepository,
  users: userRepository,
  ledger: creditLedgerService,
});

export function paymentView(row: Payment): PendingPaymentView {
  return {
    paymentId: row.id,
    purpose: row.purpose,
    plan: row.plan!,
    amount: row.amount,
    currency: row.currency,
    provider: row.provider,
    checkoutUrl: row.checkoutUrl,
    createdAt: row.createdAt.toISOString(),
  };
}
