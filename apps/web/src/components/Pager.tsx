import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format.ts";

/** Previous / next for a paginated list, with where you are. */
export function Pager({
  page,
  pageSize,
  total,
  label,
  onPage,
}: {
  page: number;
  pageSize: number;
  total: number;
  label: string;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={t("pager.label", { label })}>
      <button type="button" className="button button-quiet" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t("pager.newer")}
      </button>
      <span aria-current="page">{t("pager.position", { page: formatNumber(page), pages: formatNumber(pages) })}</span>
      <button type="button" className="button button-quiet" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t("pager.older")}
      </button>
    </nav>
  );
}
