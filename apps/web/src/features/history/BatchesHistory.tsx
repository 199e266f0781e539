import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBatches } from "../../api/queries.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { Pager } from "../../components/Pager.tsx";
import { batchFigures } from "../../lib/batch-figures.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { sourceLabel } from "../../lib/sources.ts";
import { batchName } from "../../lib/batch-name.ts";
import { statusLabel } from "../../lib/statuses.ts";
import { tierLabel } from "../../lib/tiers.ts";

/** The user's batches, newest first, each linking to its live page and ZIP. */
export function BatchesHistory() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const batches = useBatches(page);
  return (
    <section className="card history" aria-labelledby="batches-title">
      <h2 id="batches-title" className="card-title">
        {t("history.batches")} {batches.data ? <span className="muted">({batches.data.total})</span> : null}
      </h2>
      {batches.isError && <ErrorNotice error={batches.error} />}
      {batches.data && batches.data.items.length === 0 && <p className="muted">{t("history.noBatches")}</p>}
      {batches.data && batches.data.items.length > 0 && (
        <table className="table" data-testid="batches-table">
          <thead>
            <tr>
              <th scope="col">{t("history.columns.batch")}</th>
              <th scope="col">{t("history.columns.status")}</th>
              <th scope="col">{t("history.columns.tier")}</th>
              <th scope="col">{t("history.columns.images")}</th>
              <th scope="col">{t("history.columns.credits")}</th>
              <th scope="col">{t("history.columns.date")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("history.links")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {batches.data.items.map((batch) => {
              return (
                <tr key={batch.batchId}>
                  <td data-label="Batch" data-heading={t("history.columns.batch")}>
                    <span className="cell-name" title={batch.batchId}>
                      {batchName(batch)}
                    </span>
                    {batch.source && <span className="muted small"> {t("history.from", { app: sourceLabel(batch.source.app) })}</span>}
                  </td>
                  <td data-label="Status" data-heading={t("history.columns.status")}>
                    <span className={`status status-${batch.status}`}>{statusLabel(batch.status)}</span>
                  </td>
                  <td data-label="Tier" data-heading={t("history.columns.tier")}>
                    {batch.tier ? tierLabel(batch.tier) : "—"}
                  </td>
                  <td data-label="Images" data-heading={t("history.columns.images")}>
                    {t("history.progress", {
                      processed: formatNumber(batch.progress.processedImages),
                      total: formatNumber(batch.progress.totalImages),
                    })}
                    {batch.progress.failedImages > 0 ? (
                      <span className="text-bad">{t("history.failedCount", { count: batch.progress.failedImages })}</span>
                    ) : null}
                    {batch.progress.cancelledImages > 0 ? (
                      <span className="muted">{t("history.cancelledCount", { count: batch.progress.cancelledImages })}</span>
                    ) : null}
                  </td>
                  <td data-label="Credits" data-heading={t("history.columns.credits")}>
                    {batchFigures(batch).creditsLine}
                  </td>
                  <td data-label="Date" data-heading={t("history.columns.date")}>
                    {formatDateTime(batch.createdAt)}
                  </td>
                  <td data-label="Links" data-heading={t("history.links")}>
                    <span className="cell-links">
                      <a
                        href={paths.batchDetail(batch.batchId)}
                        onClick={(event) => {
                          event.preventDefault();
                          navigate(paths.batchDetail(batch.batchId));
                        }}
                      >
                        {t("history.view")}
                      </a>
                      {batch.zipUrl && (
                        <a href={batch.zipUrl} download>
                          {t("history.zip")}
                        </a>
                      )}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {batches.data && (
        <Pager
          page={batches.data.page}
          pageSize={batches.data.pageSize}
          total={batches.data.total}
          label={t("history.batches")}
          onPage={setPage}
        />
      )}
    </section>
  );
}
