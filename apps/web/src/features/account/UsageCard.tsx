import { useQuery } from "@tanstack/react-query";
import { keys } from "../../api/queries.ts";
import { trpc } from "../../api/trpc.ts";
import { formatCredits } from "../../lib/format.ts";

/** A few numbers about the user's use so far (account.stats). */
export function UsageCard() {
  const stats = useQuery({ queryKey: keys.stats, queryFn: () => trpc.account.stats.query() });
  if (!stats.data) return null;
  const done = stats.data.jobsByStatus.completed ?? 0;
  const failed = stats.data.jobsByStatus.failed ?? 0;
  return (
    <section className="card usage" aria-labelledby="usage-title">
      <h2 id="usage-title" className="card-title">
        Your usage
      </h2>
      <dl className="usage-lines">
        <div>
          <dt>Images done</dt>
          <dd>{done}</dd>
        </div>
        {failed > 0 && (
          <div>
            <dt>Failed (refunded)</dt>
            <dd>{failed}</dd>
          </div>
        )}
        <div>
          <dt>Credits spent</dt>
          <dd>{formatCredits(stats.data.creditsSpent)}</dd>
        </div>
        {stats.data.meanProcessingTimeMs !== null && (
          <div>
            <dt>Average time</dt>
            <dd>{(stats.data.meanProcessingTimeMs / 1000).toFixed(1)} s</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
