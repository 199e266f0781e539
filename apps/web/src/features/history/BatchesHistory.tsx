import { useState } from "react";
import { useBatches } from "../../api/queries.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { Pager } from "../../components/Pager.tsx";
import { batchFigures } from "../../lib/batch-figures.ts";
import { capitalise, formatDateTime } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { SOURCE_LABELS } from "../../lib/sources.ts";
import { TIER_INFO } from "../../lib/tiers.ts";

/** The user's batches, newest first, each linking to its live page and ZIP. */
export function BatchesHistory() {
  const [page, setPage] = useState(1);
  const batches = useBatches(page);
  return (
    <section className="card history" aria-labelledby="batches-title">
      <h2 id="batches-title" className="card-title">
        Batches {batches.data ? <span className="muted">({batches.data.total})</span> : null}
      </h2>
      {batches.isError && <ErrorNotice error={batches.error} />}
      {batches.data && batches.data.items.length === 0 && <p className="muted">No batches yet.</p>}
      {batches.data && batches.data.items.length > 0 && (
        <table className="table" data-testid="batches-table">
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Status</th>
              <th scope="col">Tier</th>
              <th scope="col">Images</th>
              <th scope="col">Credits</th>
              <th scope="col">Date</th>
              <th scope="col">
                <span className="visually-hidden">Links</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {batches.data.items.map((batch) => {
              return (
                <tr key={batch.batchId}>
                  <td data-label="Batch">
                    <code className="cell-name">{batch.batchId}</code>
                    {batch.source && <span className="muted small"> from {SOURCE_LABELS[batch.source.app]}</span>}
                  </td>
                  <td data-label="Status">
                    <span className={`status status-${batch.status}`}>{capitalise(batch.status)}</span>
                  </td>
                  <td data-label="Tier">{batch.tier ? (TIER_INFO[batch.tier]?.label ?? batch.tier) : "—"}</td>
                  <td data-label="Images">
                    {batch.progress.processedImages} of {batch.progress.totalImages}
                    {batch.progress.failedImages > 0 ? <span className="text-bad"> ({batch.progress.failedImages} failed)</span> : null}
                    {batch.progress.cancelledImages > 0 ? <span className="muted"> ({batch.progress.cancelledImages} cancelled)</span> : null}
                  </td>
                  <td data-label="Credits">{batchFigures(batch).creditsLine}</td>
                  <td data-label="Date">{formatDateTime(batch.createdAt)}</td>
                  <td data-label="Links">
                    <span className="cell-links">
                      <a
                        href={paths.batchDetail(batch.batchId)}
                        onClick={(event) => {
                          event.preventDefault();
                          navigate(paths.batchDetail(batch.batchId));
                        }}
                      >
                        View
                      </a>
                      {batch.zipUrl && (
                        <a href={batch.zipUrl} download>
                          ZIP
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
      {batches.data && <Pager page={batches.data.page} pageSize={batches.data.pageSize} total={batches.data.total} label="Batches" onPage={setPage} />}
    </section>
  );
}
