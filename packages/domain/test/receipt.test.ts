import { describe, expect, it } from "vitest";
import { receiptFileName, receiptItem, renderReceipt, type ReceiptFacts } from "../src/receipt.ts";

const paid: ReceiptFacts["payment"] = {
  id: "pay_abc123",
  purpose: "credits",
  plan: null,
  creditPack: "pack_500",
  credits: 500,
  amount: 200_000,
  currency: "IDR",
  provider: "manual",
  status: "paid",
  checkoutUrl: null,
  failureReason: null,
  providerReference: "INV-77",
  createdAt: new Date("2026-12-01T02:00:00Z"),
  paidAt: new Date("2026-12-01T17:30:00Z"),
  failedAt: null,
  expiresAt: null,
};

describe("renderReceipt", () => {
  it("states what was bought, the amount in Rupiah, and when it was paid in the platform's zone", () => {
    const html = renderReceipt({ payment: paid, billedTo: "buyer@example.com", timeZone: "Asia/Jakarta" });
    expect(html).toContain("<dd>pay_abc123</dd>");
    expect(html).toContain("500 credits (credit pack)");
    expect(html).toContain("Rp 200.000");
    expect(html).toContain("2 December 2026 at 00:30 (Asia/Jakarta)"); // 17:30 UTC is past midnight in Jakarta
    expect(html).toContain("<dd>INV-77</dd>");
    expect(html).toContain("<dd>buyer@example.com</dd>");
  });

  it("escapes what users and gateways wrote, so a receipt cannot carry markup", () => {
    const html = renderReceipt({
      payment: { ...paid, providerReference: '<script>alert("x")</script>' },
      billedTo: "a&b@example.com",
      timeZone: "UTC",
    });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("a&amp;b@example.com");
  });

  it("names plans and renewals, and gives a safe file name", () => {
    expect(receiptItem({ purpose: "subscribe", plan: "pro", credits: null })).toBe("Pro plan, one month");
    expect(receiptItem({ purpose: "renewal", plan: "business", credits: null })).toBe("Business plan, one month (renewal)");
    expect(receiptFileName("pay_a/../b")).toBe("receipt-pay_ab.html");
  });
});
