import { createHmac, timingSafeEqual } from "node:crypto";
import { DomainError, formatRupiah } from "@bgr/domain";
import type { PaymentEvent, PaymentProvider, ProviderPaymentRequest, PaymentStarted, WebhookHeaders } from "./payment-provider.ts";

/** Header carrying the hex HMAC-SHA256 of the raw request body (optionally prefixed `sha256=`). */
export const WEBHOOK_SIGNATURE_HEADER = "x-signature";

/**
 * The built-in provider: no gateway, every payment waits until someone confirms it — an operator with
 * `pnpm admin confirm-payment <paymentId>`, or the platform's billing system calling
 * `POST /subscription/webhook` with `{ "paymentId", "status": "paid" | "failed" }` signed with
 * PAYMENT_WEBHOOK_SECRET.
 */
export class ManualPaymentProvider implements PaymentProvider {
  readonly name = "manual";

  /** `webhookSecret` null: the webhook refuses every call (payments are then confirmed by the admin CLI only). */
  constructor(private readonly webhookSecret: string | null) {}

  async createPayment(request: ProviderPaymentRequest): Promise<PaymentStarted> {
    return {
      providerReference: request.paymentId,
      status: "pending",
      checkoutUrl: null,
      instructions: `Pay ${formatRupiah(request.amount)} quoting payment ${request.paymentId}. The subscription starts as soon as the payment is confirmed.`,
    };
  }

  parseWebhook(rawBody: Uint8Array, headers: WebhookHeaders): PaymentEvent {
    if (!this.webhookSecret) {
      throw new DomainError(
        "UNAUTHORIZED",
        "Payment webhooks are not enabled on this server: set PAYMENT_WEBHOOK_SECRET, or confirm payments with `pnpm admin confirm-payment <paymentId>`.",
      );
    }
    const header = headers[WEBHOOK_SIGNATURE_HEADER];
    const given = (Array.isArray(header) ? header[0] : header)?.trim().replace(/^sha256=/i, "") ?? "";
    if (!signatureMatches(this.webhookSecret, rawBody, given)) {
      throw new DomainError(
        "UNAUTHORIZED",
        `Invalid webhook signature: send ${WEBHOOK_SIGNATURE_HEADER} = hex HMAC-SHA256 of the raw body with the shared PAYMENT_WEBHOOK_SECRET.`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(rawBody).toString("utf8"));
    } catch {
      throw new DomainError(
        "INVALID_OPTIONS",
        'The webhook body must be JSON: { "paymentId": "pay_…", "status": "paid" | "failed", "reason"?: "…" }.',
      );
    }
    const event = body as { paymentId?: unknown; status?: unknown; reason?: unknown };
    if (typeof event.paymentId !== "string" || (event.status !== "paid" && event.status !== "failed")) {
      throw new DomainError("INVALID_OPTIONS", 'The webhook body needs "paymentId" (a string) and "status" ("paid" or "failed").');
    }
    return {
      paymentId: event.paymentId,
      providerReference: null,
      status: event.status,
      ...(typeof event.reason === "string" ? { failureReason: event.reason } : {}),
    };
  }
}

/** The signature a sender puts in `X-Signature` (exported for tests and for operators' scripts). */
export function signWebhookBody(secret: string, rawBody: Uint8Array | string): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

export function signatureMatches(secret: string, rawBody: Uint8Array, givenHex: string): boolean {
  const expected = Buffer.from(signWebhookBody(secret, rawBody), "hex");
  const given = /^[0-9a-f]+$/i.test(givenHex) ? Buffer.from(givenHex, "hex") : Buffer.alloc(0);
  // Lengths first: timingSafeEqual throws on unequal lengths, and the length of a SHA-256 is no secret.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
