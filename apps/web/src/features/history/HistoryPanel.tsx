import { navigate, paths } from "../../lib/route.ts";
import { BatchesHistory } from "./BatchesHistory.tsx";
import { JobsHistory } from "./JobsHistory.tsx";

/** What the user did: batches first (fewer, bigger), then every image. */
export function HistoryPanel({ page }: { page: number }) {
  return (
    <section className="panel" aria-labelledby="history-title">
      <div className="panel-head">
        <h1 id="history-title">History</h1>
        <p className="muted">Result links stay valid for an hour; open this page again for fresh ones.</p>
      </div>
      <BatchesHistory />
      <JobsHistory page={page} onPage={(next) => navigate(paths.history(next))} />
    </section>
  );
}
