/**
 * The receipt of a paid payment, as a standalone HTML page (downloadable, printable to PDF by any
 * browser). Pure: the same payment always gives the same document.
 */
import type { PaymentFacts } from "./payment-view.ts";
import { formatRupiah } from "./money.ts";

export interface ReceiptFacts {
  payment: PaymentFacts & { providerReference: string | null; paidAt: Date };
  /** The payer as the account knows them: email, or the platform user id. */
  billedTo: string;
  /** Dates are written in this zone (the platform's, Asia/Jakarta by default). */
  timeZone: string;
}

export const RECEIPT_PRODUCT = "Background Remover Pro";

export function receiptFileName(paymentId: string): string {
  return `receipt-${paymentId.replace(/[^\w-]/g, "")}.html`;
}

/** What was bought, in words: "100 credits" or "Pro plan, one month (renewal)". */
export function receiptItem(payment: Pick<PaymentFacts, "purpose" | "credits" | "plan">): string {
  if (payment.purpose === "credits") return `${(payment.credits ?? 0).toLocaleString("id-ID")} credits (credit pack)`;
  const plan = payment.plan ? payment.plan.charAt(0).toUpperCase() + payment.plan.slice(1) : "Subscription";
  return `${plan} plan, one month${payment.purpose === "renewal" ? " (renewal)" : ""}`;
}

export function renderReceipt({ payment, billedTo, timeZone }: ReceiptFacts): string {
  const paidAt = `${new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone }).format(payment.paidAt)} (${timeZone})`;
  const amount = formatRupiah(payment.amount);
  const rows: [string, string][] = [
    ["Receipt number", payment.id],
    ["Paid on", paidAt],
    ["Billed to", billedTo],
    ["Payment method", payment.provider],
    ...(payment.providerReference ? ([["Provider reference", payment.providerReference]] as [string, string][]) : []),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Receipt ${escapeHtml(payment.id)} · ${RECEIPT_PRODUCT}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;color:#1d2233;margin:0;background:#f5f6fa}
main{max-width:640px;margin:32px auto;padding:32px;background:#fff;border:1px solid #dfe3ee;border-radius:12px}
h1{font-size:1.4rem;margin:0 0 4px}.muted{color:#5b6275}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 20px;margin:24px 0}dt{color:#5b6275}dd{margin:0;word-break:break-all}
table{width:100%;border-collapse:collapse;margin-top:8px}th,td{text-align:left;padding:10px 0;border-bottom:1px solid #dfe3ee}
td.amount,th.amount{text-align:right}tfoot td{font-weight:700;border-bottom:none}
.paid{display:inline-block;padding:2px 10px;border-radius:99px;background:#e3f5ec;color:#0a7350;font-weight:600;font-size:.85rem}
@media print{body{background:#fff}main{border:none;margin:0}}
</style>
</head>
<body>
<main>
<h1>${RECEIPT_PRODUCT} — Receipt</h1>
<p class="muted">Kuitansi pembayaran · <span class="paid">Paid</span></p>
<dl>
${rows.map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd>`).join("\n")}
</dl>
<table>
<thead><tr><th>Item</th><th class="amount">Amount</th></tr></thead>
<tbody><tr><td>${escapeHtml(receiptItem(payment))}</td><td class="amount">${escapeHtml(amount)}</td></tr></tbody>
<tfoot><tr><td>Total paid (${escapeHtml(payment.currency)})</td><td class="amount">${escapeHtml(amount)}</td></tr></tfoot>
</table>
<p class="muted">Keep this page for your records; print it or save it as PDF from your browser.</p>
</main>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
