import { DomainError } from "@bgr/domain";
import type {
  PaymentEvent,
  PaymentProvider,
  PaymentStarted,
  ProviderPaymentRequest,
  WebhookHeaders,
} from "../subscriptions/payment-provider.ts";
import { signatureMatches } from "../subscriptions/manual-payment-provider.ts";

/** Header carrying the hex HMAC-SHA256 of the callback's raw body, keyed with the callback secret. */
export const INVOICE_CALLBACK_SIGNATURE_HEADER = "x-callback-signature";

export interface InvoiceGatewayConfig {
  /** e.g. https://api.gateway.example (the invoice API is POST {baseUrl}/v2/invoices). */
  baseUrl: string;
  /** Secret API key, sent as HTTP basic auth user with an empty password. */
  apiKey: string;
  /** Shared with the gateway's callback settings. */
  callbackSecret: string;
  timeoutMs?: number;
}

/**
 * The shape of the Indonesian invoice gateways (Xendit, Midtrans Payment Link, Duitku): we create an
 * invoice with our payment id as `external_id`, send the payer to its `invoice_url`, and the gateway
 * calls our webhook when the invoice is PAID, EXPIRED or FAILED.
 */
export class InvoiceGatewayProvider implements PaymentProvider {
  readonly name = "invoice";

  constructor(private readonly config: InvoiceGatewayConfig) {}

  async createPayment(request: ProviderPaymentRequest): Promise<PaymentStarted> {
    const durationSeconds = request.expiresAt ? Math.max(60, Math.round((request.expiresAt.getTime() - Date.now()) / 1000)) : undefined;
    const response = await fetch(`${this.config.baseUrl.replace(/\/$/, "")}/v2/invoices`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${this.config.apiKey}:`).toString("base64")}`,
        "content-type": "application/json",
        // Gateways de-duplicate on this, so a retried create does not open a second invoice.
        "idempotency-key": request.paymentId,
      },
      body: JSON.stringify({
        external_id: request.paymentId,
        amount: request.amount,
        currency: request.currency,
        description: request.description,
        ...(durationSeconds ? { invoice_duration: durationSeconds } : {}),
      }),
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`invoice gateway answered ${response.status}: ${text.slice(0, 200)}`);
    const invoice = JSON.parse(text) as { id?: unknown; invoice_url?: unknown; status?: unknown; expiry_date?: unknown };
    if (typeof invoice.id !== "string" || typeof invoice.invoice_url !== "string")
      throw new Error("invoice gateway answered without id and invoice_url");
    const expiresAt = typeof invoice.expiry_date === "string" ? new Date(invoice.expiry_date) : null;
    return {
      providerReference: invoice.id,
      status: "pending",
      checkoutUrl: invoice.invoice_url,
      instructions: `Pay on the payment page: ${invoice.invoice_url}`,
      expiresAt: expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : null,
    };
  }

  parseWebhook(rawBody: Uint8Array, headers: WebhookHeaders): PaymentEvent {
    const header = headers[INVOICE_CALLBACK_SIGNATURE_HEADER];
    const given = (Array.isArray(header) ? header[0] : header)?.trim() ?? "";
    if (!signatureMatches(this.config.callbackSecret, rawBody, given)) {
      throw new DomainError(
        "UNAUTHORIZED",
        `Invalid callback signature: ${INVOICE_CALLBACK_SIGNATURE_HEADER} must be the hex HMAC-SHA256 of the raw body with the gateway's callback secret.`,
      );
    }
    let body: { id?: unknown; external_id?: unknown; status?: unknown; paid_amount?: unknown; failure_code?: unknown };
    try {
      body = JSON.parse(Buffer.from(rawBody).toString("utf8"));
    } catch {
      throw new DomainError("INVALID_OPTIONS", "The callback body must be JSON with id, external_id and status.");
    }
    const status = typeof body.status === "string" ? GATEWAY_STATUSES[body.status.toUpperCase()] : undefined;
    if (typeof body.id !== "string" || !status) {
      throw new DomainError("INVALID_OPTIONS", 'The callback needs "id" and "status" (PAID, SETTLED, EXPIRED or FAILED).');
    }
    return {
      paymentId: typeof body.external_id === "string" ? body.external_id : null,
      providerReference: body.id,
      status,
      ...(typeof body.paid_amount === "number" ? { amount: body.paid_amount } : {}),
      ...(typeof body.failure_code === "string" ? { failureReason: body.failure_code } : {}),
    };
  }
}

const GATEWAY_STATUSES: Record<string, PaymentEvent["status"]> = { PAID: "paid", SETTLED: "paid", EXPIRED: "expired", FAILED: "failed" };
