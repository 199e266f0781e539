import { useTranslation } from "react-i18next";
import { navigate, paths } from "../../lib/route.ts";
import { BatchesHistory } from "./BatchesHistory.tsx";
import { JobsHistory } from "./JobsHistory.tsx";

/** What the user did: batches first (fewer, bigger), then every image. */
export function HistoryPanel({ page }: { page: number }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="history-title">
      <div className="panel-head">
        <h1 id="history-title">{t("history.title")}</h1>
        <p className="muted">{t("history.lead")}</p>
      </div>
      <BatchesHistory />
      <JobsHistory page={page} onPage={(next) => navigate(paths.history(next))} />
    </section>
  );
}
