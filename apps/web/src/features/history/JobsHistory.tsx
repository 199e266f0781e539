import { useJobs } from "../../api/queries.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { Pager } from "../../components/Pager.tsx";
import { capitalise, formatCredits, formatDateTime } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { SOURCE_LABELS } from "../../lib/sources.ts";
import { TIER_INFO } from "../../lib/tiers.ts";

/** Every removal of the user (single and batch items), newest first. */
export function JobsHistory({ page, onPage }: { page: number; onPage: (page: number) => void }) {
  const jobs = useJobs(page);
  return (
    <section className="card history" aria-labelledby="jobs-title">
      <h2 id="jobs-title" className="card-title">
        Images {jobs.data ? <span className="muted">({jobs.data.total})</span> : null}
      </h2>
      {jobs.isError && <ErrorNotice error={jobs.error} />}
      {jobs.data && jobs.data.items.length === 0 && <p className="muted">No removals yet. Your images will be listed here.</p>}
      {jobs.data && jobs.data.items.length > 0 && (
        <table className="table" data-testid="jobs-table">
          <thead>
            <tr>
              <th scope="col">Image</th>
              <th scope="col">Status</th>
              <th scope="col">Tier</th>
              <th scope="col">Credits</th>
              <th scope="col">Date</th>
              <th scope="col">
                <span className="visually-hidden">Links</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.items.map((job) => (
              <tr key={job.jobId}>
                <td data-label="Image">
                  <span className="cell-image">
                    <span className="mini checkerboard">{job.processedUrl && <img src={job.processedUrl} alt="" loading="lazy" />}</span>
                    <span className="cell-name" title={job.originalFileName}>
                      {job.originalFileName}
                    </span>
                  </span>
                  {job.source && <span className="muted small">from {SOURCE_LABELS[job.source.app]}</span>}
                </td>
                <td data-label="Status">
                  <span className={`status status-${job.status}`}>{capitalise(job.status)}</span>
                  {job.refunded && <span className="muted small"> refunded</span>}
                </td>
                <td data-label="Tier">{TIER_INFO[job.tier].label}</td>
                <td data-label="Credits">{job.pricingType === "subscription" ? "Plan" : formatCredits(job.refunded ? 0 : job.creditsUsed)}</td>
                <td data-label="Date">{formatDateTime(job.createdAt)}</td>
                <td data-label="Links">
                  <span className="cell-links">
                    <a
                      href={paths.result(job.jobId)}
                      onClick={(event) => {
                        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                        event.preventDefault();
                        navigate(paths.result(job.jobId));
                      }}
                    >
                      {job.status === "completed" ? "Open result" : "Details"}
                    </a>
                    {job.pipeline?.intermediateUrl && (
                      <a href={job.pipeline.intermediateUrl} target="_blank" rel="noreferrer">
                        {job.pipeline.order === "remove-then-upscale" ? "Before upscaling" : "Upscaled original"}
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
                        Batch
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
      {jobs.data && <Pager page={jobs.data.page} pageSize={jobs.data.pageSize} total={jobs.data.total} label="Images" onPage={onPage} />}
    </section>
  );
}
