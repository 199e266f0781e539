import type { Job } from "../../api/trpc.ts";
import { useJob, useJobQueuePlace } from "../../api/queries.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { capitalise, formatCredits, formatWait } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { TIER_INFO } from "../../lib/tiers.ts";
import { SingleResult } from "./SingleResult.tsx";
import { TryAnotherTier } from "./TryAnotherTier.tsx";

/** `/results/<jobId>`: one removal loaded from the server, so reload, Back and a shared link all show it. */
export function ResultPage({ jobId }: { jobId: string }) {
  const job = useJob(jobId);
  const waiting = job.data?.status === "pending" || job.data?.status === "processing";
  const place = useJobQueuePlace(jobId, waiting);
  if (job.isError) {
    return (
      <section className="panel" aria-labelledby="result-missing">
        <h1 id="result-missing">Result not found</h1>
        <ErrorNotice error={job.error} />
        <BackToStart />
      </section>
    );
  }
  if (!job.data) return <p className="muted" role="status">Loading the result…</p>;
  const data = job.data;
  if (data.status === "completed") {
    return (
      <>
        <SingleResult job={data} onAnother={() => navigate(paths.single)} />
        <TryAnotherTier job={data} />
      </>
    );
  }
  return (
    <section className="panel" aria-labelledby="result-title">
      <div className="panel-head">
        <h1 id="result-title">{headline(data)}</h1>
        <p className="muted">
          {data.originalFileName} · {TIER_INFO[data.tier].label} · {data.creditsUsed > 0 ? formatCredits(data.creditsUsed) : "covered by your plan"}
        </p>
      </div>
      {waiting ? (
        <ProgressBar label={`${capitalise(data.status)}: removing the background…`} detail={waitLine(place.data)} />
      ) : (
        <p className="notice notice-error" role="alert">
          {data.errorMessage ?? "This removal did not finish."} {data.refunded ? "Nothing was charged for it: the credits are back in your balance." : ""}
        </p>
      )}
      <BackToStart />
    </section>
  );
}

function waitLine(place: { ahead: number; etaSeconds: number | null } | null | undefined): string {
  if (!place) return "this page updates by itself";
  const ahead = place.ahead === 0 ? "next in line" : `${place.ahead} ahead in the queue`;
  return place.etaSeconds === null ? ahead : `${ahead} · at most about ${formatWait(place.etaSeconds)}`;
}

function headline(job: Job): string {
  if (job.status === "pending" || job.status === "processing") return "Removing the background";
  return job.status === "cancelled" ? "Removal cancelled" : "Removal failed";
}

function BackToStart() {
  return (
    <div className="actions">
      <a
        className="button"
        href={paths.single}
        onClick={(event) => {
          event.preventDefault();
          navigate(paths.single);
        }}
      >
        Remove another background
      </a>
    </div>
  );
}
