import { useTranslation } from "react-i18next";
import { useQuote } from "../../api/queries.ts";
import type { Tier } from "../../api/trpc.ts";
import { creditCostLine, formatCredits, formatDecimal, formatNumber } from "../../lib/format.ts";

/** Volume discount steps (spec 4.1.1), only to tell people how close the next step is; the server prices. */
const DISCOUNT_STEPS = [
  { from: 20, percent: 5 },
  { from: 51, percent: 10 },
  { from: 101, percent: 15 },
  { from: 201, percent: 20 },
];

/** The live price of the accepted files, from the server's pricing (volume discount included); whether it can start is said under Start. */
export function BatchQuote({ tier, count }: { tier: Tier; count: number }) {
  const { t } = useTranslation();
  const quote = useQuote(tier, count);
  if (count === 0) return null;
  const pricing = quote.data?.pricing;
  const next = DISCOUNT_STEPS.find((step) => count < step.from);
  return (
    <section className="quote card" aria-labelledby="quote-title" aria-live="polite" data-testid="batch-quote">
      <h2 id="quote-title" className="card-title">
        {t("quote.title")}
      </h2>
      {!pricing ? (
        <p className="muted">{quote.isError ? t("quote.failed") : t("quote.calculating")}</p>
      ) : (
        <>
          <dl className="quote-lines">
            <div>
              <dt>{t("quote.line", { images: t("units.images", { count }), credits: formatCredits(pricing.baseCreditsPerImage) })}</dt>
              <dd>{formatCredits(pricing.baseTotal)}</dd>
            </div>
            {pricing.discountPercentage > 0 && (
              <div className="quote-discount">
                <dt>{t("quote.discount", { percent: formatNumber(pricing.discountPercentage) })}</dt>
                <dd>−{formatCredits(pricing.discountAmount)}</dd>
              </div>
            )}
            <div className="quote-total">
              <dt>{t("quote.total")}</dt>
              <dd>{formatCredits(pricing.finalTotal)}</dd>
            </div>
          </dl>
          <p className="muted small">
            {pricing.discountPercentage > 0 ? t("quote.perImage", { credits: formatDecimal(pricing.creditsPerImageAfterDiscount, 2) }) : ""}
            {next ? t("quote.next", { count: next.from - count, percent: next.percent }) : t("quote.largest")}
          </p>
          <p className="muted small credit-cost">{creditCostLine(pricing.finalTotal)}</p>
        </>
      )}
    </section>
  );
}
