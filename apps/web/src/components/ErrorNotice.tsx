import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { describeError } from "../lib/describe-error.ts";
import { toApiError } from "../api/errors.ts";

/** A failure, worded for people, announced to screen readers. */
export function ErrorNotice({ error, children, onDismiss }: { error: unknown; children?: ReactNode; onDismiss?: () => void }) {
  const { t } = useTranslation();
  const facts = toApiError(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-text">{describeError(facts)}</p>
      {facts.status === 402 && (
        <button type="button" className="button-link" onClick={showBuyCredits}>
          {t("common.buyCredits")}
        </button>
      )}
      {children}
      {onDismiss && (
        <button type="button" className="button-link" onClick={onDismiss}>
          {t("common.dismiss")}
        </button>
      )}
    </div>
  );
}

/** Out of credits: bring the Buy credits card into view (below the work on a phone) and move focus there. */
function showBuyCredits() {
  const card = document.getElementById("buy-credits");
  card?.scrollIntoView({ behavior: "smooth", block: "start" });
  card?.focus({ preventScroll: true });
}
