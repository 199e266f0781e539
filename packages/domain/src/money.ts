/**
 * Money as the customer reads it, and credit packs as data. No imports: the web app bundles this file
 * as it is (`@bgr/domain/money`), so server messages and screens format prices with the same code.
 */

/** The platform bills in Indonesian rupiah, whole units (no sen). */
export const CURRENCY = "IDR" as const;
export type Currency = typeof CURRENCY;

const RUPIAH = new Intl.NumberFormat("id-ID", {
  style: "currency",
  currency: CURRENCY,
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});

/**
 * "Rp 99.000". Intl puts a no-break space after "Rp" so the price never wraps apart; a plain space
 * is used instead because screens and messages are matched by people and tests as typed.
 */
export function formatRupiah(amount: number): string {
  return RUPIAH.format(amount).replace(/\u00a0/g, " ");
}

export const CREDIT_PACK_IDS = ["pack_100", "pack_500", "pack_2000"] as const;
export type CreditPackId = (typeof CREDIT_PACK_IDS)[number];

export interface CreditPack {
  id: CreditPackId;
  credits: number;
  /** Whole rupiah. */
  price: number;
  currency: Currency;
}

/** Bigger packs cost less per credit (Rp 500 → 400 → 350), so regular users buy fewer, larger top-ups. */
export const CREDIT_PACKS: Readonly<Record<CreditPackId, Readonly<CreditPack>>> = Object.freeze({
  pack_100: Object.freeze({ id: "pack_100", credits: 100, price: 50_000, currency: CURRENCY }),
  pack_500: Object.freeze({ id: "pack_500", credits: 500, price: 200_000, currency: CURRENCY }),
  pack_2000: Object.freeze({ id: "pack_2000", credits: 2_000, price: 700_000, currency: CURRENCY }),
});

export function isCreditPackId(value: unknown): value is CreditPackId {
  return typeof value === "string" && (CREDIT_PACK_IDS as readonly string[]).includes(value);
}

/** What one credit costs in a pack, in whole rupiah (rounded: the prices above divide evenly). */
export function pricePerCredit(pack: CreditPack): number {
  return Math.round(pack.price / pack.credits);
}

/** One pack as the API lists it: the numbers, and the labels every screen shows. */
export interface CreditPackView extends CreditPack {
  pricePerCredit: number;
  priceLabel: string;
  pricePerCreditLabel: string;
}

export function creditPackViews(): CreditPackView[] {
  return CREDIT_PACK_IDS.map((id) => {
    const pack = CREDIT_PACKS[id];
    return {
      ...pack,
      pricePerCredit: pricePerCredit(pack),
      priceLabel: formatRupiah(pack.price),
      pricePerCreditLabel: formatRupiah(pricePerCredit(pack)),
    };
  });
}

/**
 * The "what a credit costs" line shown where credits are spent: "8 credits ≈ Rp 2.800–4.000 (Rp 350–500
 * a credit, by pack)". Without an amount, just the per-credit range.
 */
export function creditCostLine(credits?: number): string {
  const { perCredit, total } = creditCostRange(credits);
  if (credits === undefined || total === null) return `1 credit costs ${perCredit}, by pack size.`;
  return `${credits.toLocaleString("en-US", { maximumFractionDigits: 2 })} ${credits === 1 ? "credit" : "credits"} ≈ ${total} (${perCredit} a credit, by pack size).`;
}

/**
 * The rupiah ranges of that line, for screens that word it in another language: what one credit costs
 * across the packs ("Rp 350–500"), and what `credits` cost ("Rp 2.800–4.000"; null without an amount).
 */
export function creditCostRange(credits?: number): { perCredit: string; total: string | null } {
  const perCredit = CREDIT_PACK_IDS.map((id) => pricePerCredit(CREDIT_PACKS[id]));
  const low = Math.min(...perCredit);
  const high = Math.max(...perCredit);
  const range = (from: number, to: number) => `${formatRupiah(from)}–${formatRupiah(to).replace(/^Rp\s*/, "")}`;
  return {
    perCredit: range(low, high),
    total: credits === undefined || credits <= 0 ? null : range(Math.round(credits * low), Math.round(credits * high)),
  };
}
