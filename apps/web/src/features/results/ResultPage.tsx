import { useTranslation } from "react-i18next";
import type { Job } from "../../api/trpc.ts";
import { i18n } from "../../i18n/i18n.ts";
import { useJob, useJobQueuePlace } from "../../api/queries.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { formatCredits, formatNumber, formatWait } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { statusLabel } from "../../lib/statuses.ts";
import { tierLabel } from "../../lib/tiers.ts";
import { SingleResult } from "./SingleResult.tsx";
import { TryAnotherTier } from "./TryAnotherTier.tsx";

/** `/results/<jobId>`: one removal loaded from the server, so reload, Back and a shared link all show it. */
export function ResultPage({ jobId }: { jobId: string }) {
  const { t } = useTranslation();
  const job = useJob(jobId);
  const waiting = job.data?.status === "pending" || job.data?.status === "processing";
  const place = useJobQueuePlace(jobId, waiting);
  if (job.isError) {
    return (
      <section className="panel" aria-labelledby="result-missing">
        <h1 id="result-missing">{t("result.notFound")}</h1>
        <ErrorNotice error={job.error} />
        <BackToStart />
      </section>
    );
  }
  if (!job.data) {
    return (
      <p className="muted" role="status">
        {t("result.loading")}
      </p>
    );
  }
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
          {data.originalFileName} · {tierLabel(data.tier)} ·{" "}
          {data.creditsUsed > 0 ? formatCredits(data.creditsUsed) : t("common.coveredByPlan")}
        </p>
      </div>
      {waiting ? (
        <ProgressBar label={t("result.waitingStatus", { status: statusLabel(data.status) })} detail={waitLine(place.data)} />
      ) : (
        <p className="notice notice-error" role="alert">
          {data.errorMessage ?? t("result.didNotFinish")} {data.refunded ? t("result.refunded") : ""}
        </p>
      )}
      <BackToStart />
    </section>
  );
}

function waitLine(place: { ahead: number; etaSeconds: number | null } | null | undefined): string {
  if (!place) return i18n.t("result.selfUpdating");
  const ahead = place.ahead === 0 ? i18n.t("result.nextInLine") : i18n.t("result.ahead", { places: formatNumber(place.ahead) });
  return place.etaSeconds === null ? ahead : i18n.t("result.aheadEta", { ahead, wait: formatWait(place.etaSeconds) });
}

function headline(job: Job): string {
  if (job.status === "pending" || job.status === "processing") return i18n.t("result.waiting");
  return job.status === "cancelled" ? i18n.t("result.cancelled") : i18n.t("result.failed");
}

function BackToStart() {
  const { t } = useTranslation();
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
        {t("result.removeAnother")}
      </a>
    </div>
  );
}
