import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { keys } from "../../api/queries.ts";
import { trpc } from "../../api/trpc.ts";
import { formatCredits, formatNumber, formatSeconds } from "../../lib/format.ts";

/** A few numbers about the user's use so far (account.stats). */
export function UsageCard() {
  const { t } = useTranslation();
  const stats = useQuery({ queryKey: keys.stats, queryFn: () => trpc.account.stats.query() });
  if (!stats.data) return null;
  const done = stats.data.jobsByStatus.completed ?? 0;
  const failed = stats.data.jobsByStatus.failed ?? 0;
  return (
    <section className="card usage" aria-labelledby="usage-title">
      <h2 id="usage-title" className="card-title">
        {t("usage.title")}
      </h2>
      <dl className="usage-lines">
        <div>
          <dt>{t("usage.done")}</dt>
          <dd>{formatNumber(done)}</dd>
        </div>
        {failed > 0 && (
          <div>
            <dt>{t("usage.failed")}</dt>
            <dd>{formatNumber(failed)}</dd>
          </div>
        )}
        <div>
          <dt>{t("usage.spent")}</dt>
          <dd>{formatCredits(stats.data.creditsSpent)}</dd>
        </div>
        {stats.data.meanProcessingTimeMs !== null && (
          <div>
            <dt>{t("usage.average")}</dt>
            <dd>{formatSeconds(stats.data.meanProcessingTimeMs)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
