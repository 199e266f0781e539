import type { PaymentPurpose } from "@bgr/domain";

/**
 * The seam between what is sold (plans, credit packs) and whoever collects the money. A gateway (Midtrans, Xendit, Stripe)
 * is one more implementation of this interface, chosen in the composition root; the quota code never
 * sees it, and subscriptions only learn "paid" or "failed" through `settlePayment`.
 */
export interface PaymentProvider {
  /** Stored on each payment row ("manual", "midtrans", …). */
  readonly name: string;
  /**
   * Asks the gateway for the money. Called after the payment row is committed, outside any database
   * transaction (gateways are slow and may time out); `paymentId` is the idempotency key to give the
   * gateway, so a retried call does not charge twice.
   */
  createPayment(request: ProviderPaymentRequest): Promise<PaymentStarted>;
  /**
   * Authenticates a webhook call from the gateway by its signature over the raw body and says what it
   * reports. Throws a DomainError UNAUTHORIZED when the signature is missing or wrong.
   */
  parseWebhook(rawBody: Uint8Array, headers: WebhookHeaders): PaymentEvent;
}

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export interface ProviderPaymentRequest {
  paymentId: string;
  userId: string;
  purpose: PaymentPurpose;
  /** The plan, for subscription payments; null for a credit pack. */
  plan: string | null;
  amount: number;
  currency: string;
  /** Shown to the user by gateways that display one. */
  description: string;
  /** When we stop waiting for the money (an invoice gateway's expiry); null: no deadline. */
  expiresAt: Date | null;
}

export interface PaymentStarted {
  /** The gateway's id for the payment (order/invoice id). */
  providerReference: string;
  /** Most gateways answer `pending` and report the outcome by webhook; saved cards may settle at once. */
  status: "pending" | "paid" | "failed";
  /** Hosted payment page, when the gateway has one. */
  checkoutUrl?: string | null;
  /** What the user should do next, in words. */
  instructions?: string;
  failureReason?: string;
  /** The gateway's own deadline for its invoice, when it has one. */
  expiresAt?: Date | null;
}

/** A gateway's report about one payment, found by our id or by the gateway's reference. */
export interface PaymentEvent {
  paymentId: string | null;
  providerReference: string | null;
  status: "paid" | "failed" | "expired";
  failureReason?: string;
  /** The amount the gateway received, when it says; checked against the payment. */
  amount?: number;
}
