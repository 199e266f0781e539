import type { NewPayment, Payment } from "@bgr/db";
import type { PaymentRepository } from "../../src/payments/payment.repository.ts";
import { InMemoryRows, repository } from "./database.ts";

/** A payment row as the table would store `draft`: its columns' defaults where the insert left them out. */
function paymentRow(id: string, draft: NewPayment): Payment {
  return {
    subscriptionId: null,
    plan: null,
    creditPack: null,
    credits: null,
    providerReference: null,
    checkoutUrl: null,
    status: "pending",
    failureReason: null,
    idempotencyKey: null,
    createdAt: new Date(),
    paidAt: null,
    failedAt: null,
    expiresAt: null,
    ...(draft as Partial<Payment>),
    id,
  } as Payment;
}

/** Payments in memory, with the table's unique idempotency key. */
export class InMemoryPayments extends InMemoryRows<Payment> {
  get(id: string): Payment {
    const row = this.rows.get(id);
    if (!row) throw new Error(`no payment ${id}`);
    return row;
  }

  add(draft: NewPayment): Payment {
    const row = paymentRow(draft.id ?? `pay_${this.rows.size + 1}`, draft);
    this.rows.set(row.id, row);
    return row;
  }

  private newestFirst(rows: Payment[]): Payment[] {
    return rows.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  readonly repository: PaymentRepository = repository<PaymentRepository>("paymentRepository", {
    find: async (_executor, paymentId) => this.rows.get(paymentId) ?? null,
    lock: async (_tx, paymentId) => this.rows.get(paymentId) ?? null,
    findOwned: async (_executor, userId, paymentId) => {
      const row = this.rows.get(paymentId);
      return row?.userId === userId ? row : null;
    },
    recent: async (_executor, limit, userId) =>
      this.newestFirst([...this.rows.values()].filter((row) => userId === undefined || row.userId === userId)).slice(0, limit),
    insert: async (_executor, payment) => this.add(payment),
    insertOnce: async (_executor, payment) =>
      [...this.rows.values()].some((row) => row.idempotencyKey === payment.idempotencyKey) ? null : this.add(payment),
    update: async (_executor, paymentId, changes) => {
      const row = { ...this.get(paymentId), ...(changes as Partial<Payment>) };
      this.rows.set(paymentId, row);
      return row;
    },
    pendingOf: async (_executor, subscriptionId, purpose) =>
      this.newestFirst(
        [...this.rows.values()].filter(
          (row) => row.subscriptionId === subscriptionId && row.status === "pending" && (purpose === undefined || row.purpose === purpose),
        ),
      ),
    failPendingOf: async (_executor, subscriptionId, at, reason) => {
      for (const row of this.rows.values())
        if (row.subscriptionId === subscriptionId && row.status === "pending")
          this.rows.set(row.id, { ...row, status: "failed", failedAt: at, failureReason: reason });
    },
    overdueIds: async (_executor, now, scope) => {
      const due = [...this.rows.values()].filter(
        (row) =>
          row.status === "pending" &&
          row.expiresAt !== null &&
          row.expiresAt <= now &&
          (!("userId" in scope) || row.userId === scope.userId),
      );
      return ("limit" in scope ? due.slice(0, scope.limit) : due).map((row) => row.id);
    },
  });
}
