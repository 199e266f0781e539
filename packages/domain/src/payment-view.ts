/**
 * A payment as its payer sees it (GET /payments, the buy-credits screen): state, money and the next
 * step in words. Pure, so every screen and the API say the same thing.
 */
import type { PaymentPurpose } from "./billing.ts";
import { formatRupiah } from "./money.ts";

export const PAYMENT_STATES = ["pending", "paid", "failed", "expired"] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export interface PaymentFacts {
  id: string;
  purpose: PaymentPurpose;
  plan: string | null;
  creditPack: string | null;
  credits: number | null;
  amount: number;
  currency: string;
  provider: string;
  status: PaymentState;
  checkoutUrl: string | null;
  failureReason: string | null;
  createdAt: Date;
  paidAt: Date | null;
  failedAt: Date | null;
  expiresAt: Date | null;
}

export interface PaymentView {
  paymentId: string;
  purpose: PaymentPurpose;
  plan: string | null;
  creditPack: string | null;
  credits: number | null;
  amount: number;
  currency: string;
  /** "Rp 50.000". */
  amountLabel: string;
  provider: string;
  status: PaymentState;
  /** Where to pay, when the provider has a hosted page (an invoice URL). */
  checkoutUrl: string | null;
  /** What the payer should do now, or what happened. */
  nextStep: string;
  createdAt: string;
  paidAt: string | null;
  /** Failed or expired at. */
  closedAt: string | null;
  /** Until when a pending payment can be paid. */
  expiresAt: string | null;
}

export function paymentViewOf(payment: PaymentFacts): PaymentView {
  return {
    paymentId: payment.id,
    purpose: payment.purpose,
    plan: payment.plan,
    creditPack: payment.creditPack,
    credits: payment.credits,
    amount: payment.amount,
    currency: payment.currency,
    amountLabel: formatRupiah(payment.amount),
    provider: payment.provider,
    status: payment.status,
    checkoutUrl: payment.checkoutUrl,
    nextStep: nextStep(payment),
    createdAt: payment.createdAt.toISOString(),
    paidAt: payment.paidAt?.toISOString() ?? null,
    closedAt: payment.failedAt?.toISOString() ?? null,
    expiresAt: payment.expiresAt?.toISOString() ?? null,
  };
}

function nextStep(payment: PaymentFacts): string {
  const what = payment.purpose === "credits" ? `${payment.credits} credits` : `the ${payment.plan} plan`;
  const retry = payment.purpose === "credits" ? "Buy the pack again to start a new payment." : "Subscribe again to start a new payment.";
  switch (payment.status) {
    case "pending": {
      const where = payment.checkoutUrl
        ? ` on the payment page (${payment.checkoutUrl})`
        : ` quoting payment ${payment.id}; an admin confirms it once received`;
      const until = payment.expiresAt ? ` before ${payment.expiresAt.toISOString().replace("T", " ").slice(0, 16)} UTC` : "";
      return `Pay ${formatRupiah(payment.amount)}${where}${until}. ${payment.purpose === "credits" ? "The credits land" : "The plan starts"} as soon as the payment is confirmed.`;
    }
    case "paid":
      return payment.purpose === "credits" ? `Paid: ${what} were added to your balance.` : `Paid: ${what} is active.`;
    case "failed":
      return `The payment failed (${payment.failureReason ?? "no reason given"}). Nothing was charged for ${what}. ${retry}`;
    case "expired":
      return `The payment was not completed in time, so it expired and nothing was charged. ${retry}`;
  }
}
