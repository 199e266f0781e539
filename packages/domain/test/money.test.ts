import { describe, expect, it } from "vitest";
import { CREDIT_PACKS, creditCostLine, creditPackViews, formatRupiah, pricePerCredit } from "../src/money.ts";

describe("money", () => {
  it("formats rupiah the Indonesian way", () => {
    expect(formatRupiah(99_000)).toBe("Rp 99.000");
    expect(formatRupiah(1_250_500)).toBe("Rp 1.250.500");
    expect(formatRupiah(350)).toBe("Rp 350");
  });

  it("lists the packs with their per-credit price, cheaper per credit as they grow", () => {
    const views = creditPackViews();
    expect(views.map((p) => [p.credits, p.priceLabel, p.pricePerCreditLabel])).toEqual([
      [100, "Rp 50.000", "Rp 500"],
      [500, "Rp 200.000", "Rp 400"],
      [2000, "Rp 700.000", "Rp 350"],
    ]);
    for (const pack of Object.values(CREDIT_PACKS)) expect(pricePerCredit(pack) * pack.credits).toBe(pack.price);
  });

  it("says what credits cost where they are spent", () => {
    expect(creditCostLine()).toBe("1 credit costs Rp 350–500, by pack size.");
    expect(creditCostLine(8)).toBe("8 credits ≈ Rp 2.800–4.000 (Rp 350–500 a credit, by pack size).");
  });
});
