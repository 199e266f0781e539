import { useTranslation } from "react-i18next";
import { useJobs } from "../../api/queries.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { Pager } from "../../components/Pager.tsx";
import { formatCredits, formatDateTime } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { sourceLabel } from "../../lib/sources.ts";
import { statusLabel } from "../../lib/statuses.ts";
import { tierLabel } from "../../lib/tiers.ts";

/** Every removal of the user (single and batch items), newest first. */
export function JobsHistory({ page, onPage }: { page: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  const jobs = useJobs(page);
  return (
    <section className="card history" aria-labelledby="jobs-title">
      <h2 id="jobs-title" className="card-title">
        {t("history.images")} {jobs.data ? <span className="muted">({jobs.data.total})</span> : null}
      </h2>
      {jobs.isError && <ErrorNotice error={jobs.error} />}
      {jobs.data && jobs.data.items.length === 0 && <p className="muted">{t("history.noImages")}</p>}
      {jobs.data && jobs.data.items.length > 0 && (
        <table className="table" data-testid="jobs-table">
          <thead>
            <tr>
              <th scope="col">{t("history.columns.image")}</th>
              <th scope="col">{t("history.columns.status")}</th>
              <th scope="col">{t("history.columns.tier")}</th>
              <th scope="col">{t("history.columns.credits")}</th>
              <th scope="col">{t("history.columns.date")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("history.links")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.items.map((job) => (
              <tr key={job.jobId}>
                <td data-label="Image" data-heading={t("history.columns.image")}>
                  <span className="cell-image">
                    <span className="mini checkerboard">{job.processedUrl && <img src={job.processedUrl} alt="" loading="lazy" />}</span>
                    <span className="cell-name" title={job.originalFileName}>
                      {job.originalFileName}
                    </span>
                  </span>
                  {job.source && <span className="muted small">{t("history.from", { app: sourceLabel(job.source.app) })}</span>}
                </td>
                <td data-label="Status" data-heading={t("history.columns.status")}>
                  <span className={`status status-${job.status}`}>{statusLabel(job.status)}</span>
                  {job.refunded && <span className="muted small">{t("history.refunded")}</span>}
                </td>
                <td data-label="Tier" data-heading={t("history.columns.tier")}>
                  {tierLabel(job.tier)}
                </td>
                <td data-label="Credits" data-heading={t("history.columns.credits")}>
                  {job.pricingType === "subscription" ? t("history.plan") : formatCredits(job.refunded ? 0 : job.creditsUsed)}
                </td>
                <td data-label="Date" data-heading={t("history.columns.date")}>
                  {formatDateTime(job.createdAt)}
                </td>
                <td data-label="Links" data-heading={t("history.links")}>
                  <span className="cell-links">
                    <a
                      href={paths.result(job.jobId)}
                      onClick={(event) => {
                        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                        event.preventDefault();
                        navigate(paths.result(job.jobId));
                      }}
                    >
                      {job.status === "completed" ? t("history.openResult") : t("history.details")}
                    </a>
                    {job.pipeline?.intermediateUrl && (
                      <a href={job.pipeline.intermediateUrl} target="_blank" rel="noreferrer">
                        {job.pipeline.order === "remove-then-upscale" ? t("history.beforeUpscaling") : t("history.upscaledOriginal")}
                      </a>
                    )}
                    {job.batchId && (
                      <a
                        href={paths.batchDetail(job.batchId)}
                        onClick={(event) => {
                          event.preventDefault();
                          navigate(paths.batchDetail(job.batchId!));
                        }}
                      >
                        {t("history.batch")}
                      </a>
                    )}
                    {job.errorMessage && <span className="text-bad small">{job.errorMessage}</span>}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {jobs.data && (
        <Pager page={jobs.data.page} pageSize={jobs.data.pageSize} total={jobs.data.total} label={t("history.images")} onPage={onPage} />
      )}
    </section>
  );
}
