import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { keys, useAccount, useCreditPacks, usePayments } from "../../api/queries.ts";
import { downloadWithAuth } from "../../api/rest.ts";
import { trpc } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { creditCostLine, formatCredits, formatDateTime } from "../../lib/format.ts";

/**
 * Credit packs in Rupiah with their per-credit price, and the user's recent pack payments with what to
 * do next. The packs stay folded while there are credits to spend, so the work keeps the top of a phone.
 */
export function BuyCredits() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const account = useAccount();
  const [expanded, setExpanded] = useState<boolean | null>(null);
  const packs = useCreditPacks();
  const payments = usePayments();
  const buy = useMutation({
    mutationFn: (pack: string) => trpc.payments.buyPack.mutate({ pack }),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: keys.payments });
      if (result.payment.checkoutUrl) window.open(result.payment.checkoutUrl, "_blank", "noopener");
    },
  });
  const recent = (payments.data ?? []).filter((p) => p.purpose === "credits").slice(0, 3);
  const pending = recent.some((p) => p.status === "pending");
  const showPacks = expanded ?? (account.data?.creditBalance === 0 || pending);
  return (
    <section id="buy-credits" tabIndex={-1} className="card buy-credits" aria-labelledby="buy-credits-title">
      <h2 id="buy-credits-title" className="card-title">
        {t("credits.title")}
      </h2>
      {packs.data && <p className="muted small">{creditCostLine()}</p>}
      {!showPacks && (
        <button type="button" className="button button-small" onClick={() => setExpanded(true)}>
          {t("credits.more")}
        </button>
      )}
      {showPacks && (
        <ul className="packs">
          {packs.data?.packs.map((pack) => (
            <li key={pack.id} className="pack">
              <span className="pack-credits">{formatCredits(pack.credits)}</span>
              <span className="pack-price">{pack.priceLabel}</span>
              <span className="pack-unit muted small">{t("credits.perCredit", { price: pack.pricePerCreditLabel })}</span>
              <button
                type="button"
                className="button button-small"
                disabled={buy.isPending}
                onClick={() => buy.mutate(pack.id)}
                aria-label={t("credits.buyLabel", { credits: formatCredits(pack.credits), price: pack.priceLabel })}
              >
                {t("credits.buy")}
              </button>
            </li>
          ))}
        </ul>
      )}
      {buy.isError && <ErrorNotice error={buy.error} />}
      {recent.length > 0 && (
        <ul className="payments" aria-label={t("credits.payments")}>
          {recent.map((payment) => (
            <li key={payment.paymentId} className={`payment payment-${payment.status}`} data-testid="payment">
              <div className="payment-head">
                <strong>
                  {typeof payment.credits === "number" ? formatCredits(payment.credits) : null} ·{" "}
                  <span className="nowrap">{payment.amountLabel}</span>
                </strong>
                <span className={`status status-${payment.status}`}>{t(`credits.paymentStatus.${payment.status}`)}</span>
              </div>
              <p className="muted small">{payment.nextStep}</p>
              {payment.status === "pending" && payment.checkoutUrl && (
                <a className="button button-small" href={payment.checkoutUrl} target="_blank" rel="noopener noreferrer">
                  {t("credits.openPayment")}
                </a>
              )}
              <p className="muted small">{formatDateTime(payment.createdAt)}</p>
              {payment.status === "paid" && <ReceiptButton paymentId={payment.paymentId} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The paid payment's receipt (an HTML page to keep or print to PDF), fetched with this session's credentials. */
function ReceiptButton({ paymentId }: { paymentId: string }) {
  const { t } = useTranslation();
  const download = useMutation({
    mutationFn: () => downloadWithAuth(`/payments/${encodeURIComponent(paymentId)}/receipt?download=1`, `receipt-${paymentId}.html`),
  });
  return (
    <>
      <button type="button" className="button button-small" disabled={download.isPending} onClick={() => download.mutate()}>
        {t("credits.receipt")}
      </button>
      {download.isError && <ErrorNotice error={download.error} />}
    </>
  );
}
