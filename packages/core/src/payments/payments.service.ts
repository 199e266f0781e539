import {
  CREDIT_PACK_IDS,
  CREDIT_PACKS,
  creditCostLine,
  creditPackViews,
  DomainError,
  isCreditPackId,
  paymentViewOf,
  receiptFileName,
  renderReceipt,
  type CreditPackView,
  type PaymentView,
} from "@bgr/domain";
import type { PaymentProvider, WebhookHeaders } from "../subscriptions/payment-provider.ts";
import { paymentRepository, type PaymentRepository } from "./payment.repository.ts";
import { paymentSettlement, type PaymentBook, type PaymentOutcome, type PaymentSettlement } from "../subscriptions/payment-settlement.ts";

export interface PaymentsServiceDeps extends PaymentBook {
  provider: PaymentProvider;
  now: () => Date;
  /** How long a credit-pack payment waits for the money before it expires. */
  pendingHours: number;
  /** Receipts give dates in this zone (QUOTA_TIMEZONE, the platform's). */
  timeZone: string;
  /** Default: the drizzle repository and settlement (unit tests pass in-memory ones). */
  repositories?: PaymentsServiceRepositories;
}

/** What a PaymentsService reads and changes: payment rows, and their settlement (the one code that lands what a payment bought). */
export interface PaymentsServiceRepositories {
  payments: PaymentRepository;
  settlement: PaymentSettlement;
}

const drizzleRepositories: PaymentsServiceRepositories = { payments: paymentRepository, settlement: paymentSettlement };

export interface CreditPackCatalog {
  packs: CreditPackView[];
  /** "1 credit costs Rp 350–500, by pack size." */
  creditCost: string;
}

/** Buying credit packs, and every payment of a user as they see it. Settling is payment-settlement's. */
export class PaymentsService {
  private readonly repositories: PaymentsServiceRepositories;

  constructor(private readonly deps: PaymentsServiceDeps) {
    this.repositories = deps.repositories ?? drizzleRepositories;
  }

  packs(): CreditPackCatalog {
    return { packs: creditPackViews(), creditCost: creditCostLine() };
  }

  /** A pending payment for the pack, handed to the provider; the credits land when it is paid. */
  async buyPack(userId: string, packId: string): Promise<{ payment: PaymentView; instructions: string | null }> {
    const { db, provider, now } = this.deps;
    if (!isCreditPackId(packId)) {
      throw new DomainError(
        "INVALID_OPTIONS",
        `Unknown credit pack "${packId}". Choose one of: ${CREDIT_PACK_IDS.join(", ")} (GET /credits/packs lists them with prices).`,
      );
    }
    const pack = CREDIT_PACKS[packId];
    const at = now();
    const payment = await this.repositories.payments.insert(db, {
      userId,
      purpose: "credits",
      creditPack: pack.id,
      credits: pack.credits,
      amount: pack.price,
      currency: pack.currency,
      provider: provider.name,
      status: "pending",
      createdAt: at,
      expiresAt: new Date(at.getTime() + this.deps.pendingHours * 3_600_000),
    });
    const collected = await this.repositories.settlement.collectPayment(this.deps, provider, payment, now);
    return { payment: paymentViewOf(collected.payment), instructions: collected.instructions };
  }

  async list(userId: string, limit = 50): Promise<PaymentView[]> {
    await this.expireDue(userId);
    const rows = await this.repositories.payments.recent(this.deps.db, limit, userId);
    return rows.map(paymentViewOf);
  }

  async get(userId: string, paymentId: string): Promise<PaymentView> {
    await this.expireDue(userId);
    const row = await this.repositories.payments.findOwned(this.deps.db, userId, paymentId);
    if (!row) throw new DomainError("NOT_FOUND", `No payment ${paymentId} of yours. GET /payments lists them.`);
    return paymentViewOf(row);
  }

  /** The receipt of one of the user's paid payments, as an HTML document. */
  async receipt(userId: string, paymentId: string): Promise<{ fileName: string; html: string }> {
    const row = await this.repositories.payments.findOwnedWithEmail(this.deps.db, userId, paymentId);
    if (!row) throw new DomainError("NOT_FOUND", `No payment ${paymentId} of yours. GET /payments lists them.`);
    const { payment } = row;
    if (payment.status !== "paid" || !payment.paidAt) {
      throw new DomainError(
        "CONFLICT",
        `Payment ${paymentId} is ${payment.status}: a receipt exists once it is paid. ${paymentViewOf(payment).nextStep}`,
      );
    }
    const html = renderReceipt({
      payment: { ...payment, paidAt: payment.paidAt },
      billedTo: row.email ?? userId,
      timeZone: this.deps.timeZone,
    });
    return { fileName: receiptFileName(payment.id), html };
  }

  /** An admin (or the CLI) reports what happened to a payment, e.g. a bank transfer that arrived. */
  async settle(paymentId: string, outcome: PaymentOutcome): Promise<{ payment: PaymentView; changed: boolean }> {
    const settled = await this.repositories.settlement.settlePayment(this.deps, paymentId, outcome, this.deps.now());
    return { payment: paymentViewOf(settled.payment), changed: settled.changed };
  }

  /** POST /payments/webhook: the provider authenticates the call; the payment is settled once. */
  async handleWebhook(rawBody: Uint8Array, headers: WebhookHeaders) {
    return this.repositories.settlement.settleFromWebhook(this.deps, this.deps.provider, rawBody, headers, this.deps.now());
  }

  /** Pending payments past their deadline become expired (through settlePayment, which decides it). */
  private async expireDue(userId: string): Promise<void> {
    await this.repositories.settlement.expireOverduePayments(this.deps, this.deps.now(), { userId });
  }
}
