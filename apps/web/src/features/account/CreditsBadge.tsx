import { useTranslation } from "react-i18next";
import { useAccount } from "../../api/queries.ts";
import { formatCredits } from "../../lib/format.ts";

/** The balance, always in the header; announced politely when it changes. */
export function CreditsBadge() {
  const { t } = useTranslation();
  const account = useAccount();
  return (
    <div className="credits" aria-live="polite" data-testid="balance">
      <span className="credits-label">{t("credits.balance")}</span>
      <strong className="credits-value">{account.data ? formatCredits(account.data.creditBalance) : "…"}</strong>
    </div>
  );
}
