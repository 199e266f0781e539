import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { isFinished, isSettled } from "../../api/contracts.ts";
import { keys, useBatch, useRefreshAccount } from "../../api/queries.ts";
import { downloadWithAuth } from "../../api/rest.ts";
import { trpc } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { batchFigures } from "../../lib/batch-figures.ts";
import { formatBytes, formatNumber, formatPercent, formatRemaining, remainingMs } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { batchName } from "../../lib/batch-name.ts";
import { statusLabel } from "../../lib/statuses.ts";
import { tierLabel } from "../../lib/tiers.ts";
import { BatchGallery } from "./BatchGallery.tsx";

/** A running or finished batch: live progress, results as they finish, the ZIP, cancel. */
export function BatchProgress({ batchId }: { batchId: string }) {
  const { t } = useTranslation();
  const batch = useBatch(batchId);
  const client = useQueryClient();
  const refresh = useRefreshAccount();
  const [confirming, setConfirming] = useState(false);
  const data = batch.data;
  const finished = data ? isFinished(data.status) : false;
  const settled = data ? isSettled(data) : false;

  // Refunds for failed or cancelled items land when the batch settles: show the new balance.
  useEffect(() => {
    if (settled) void refresh();
  }, [settled]);

  const cancel = useMutation({
    mutationFn: () => trpc.batch.cancel.mutate({ batchId }),
    onSettled: async () => {
      setConfirming(false);
      await client.invalidateQueries({ queryKey: keys.batch(batchId) });
      await refresh();
    },
  });
  const zip = useMutation({ mutationFn: () => downloadWithAuth(`/batch/${encodeURIComponent(batchId)}/download`, `${batchId}.zip`) });

  if (batch.isPending) return <p className="panel muted">{t("batchProgress.loading")}</p>;
  if (batch.isError || !data) {
    return (
      <section className="panel">
        <ErrorNotice error={batch.error} />
        <button type="button" className="button" onClick={() => navigate(paths.batch)}>
          {t("batchProgress.startNew")}
        </button>
      </section>
    );
  }

  const { totalImages, processedImages, failedImages, cancelledImages, percentage } = data.progress;
  const done = processedImages + failedImages;
  const eta = remainingMs({
    estimatedCompletionAt: data.timing.estimatedCompletionAt,
    startedAt: data.timing.startedAt,
    done,
    total: totalImages,
  });
  const figures = batchFigures(data);

  return (
    <section className="panel" aria-labelledby="batch-progress-title">
      <div className="panel-head">
        <h1 id="batch-progress-title">
          {batchName(data)} <span className={`status status-${data.status}`}>{statusLabel(data.status)}</span>
        </h1>
        <p className="muted">
          {t("batchProgress.title", { total: formatNumber(totalImages) })} · {data.tier ? `${tierLabel(data.tier)} · ` : ""}
          {figures.creditsLine}
          {data.pricing.discountPercentage > 0
            ? t("batchProgress.discount", { percent: formatNumber(data.pricing.discountPercentage) })
            : ""}
        </p>
      </div>

      <ProgressBar
        label={t("batchProgress.progress")}
        value={percentage / 100}
        detail={`${figures.progressLine}${finished ? "" : ` · ${formatRemaining(eta)}`}`}
      />
      <dl className="stats" data-testid="batch-stats">
        <div>
          <dt>{t("batchProgress.processed")}</dt>
          <dd>{formatNumber(processedImages)}</dd>
        </div>
        <div>
          <dt>{t("batchProgress.failed")}</dt>
          <dd className={failedImages > 0 ? "text-bad" : undefined}>{formatNumber(failedImages)}</dd>
        </div>
        {cancelledImages > 0 ? (
          <div>
            <dt>{t("batchProgress.cancelled")}</dt>
            <dd>{formatNumber(cancelledImages)}</dd>
          </div>
        ) : (
          <div>
            <dt>{t("batchProgress.progressStat")}</dt>
            <dd>{formatPercent(percentage)}</dd>
          </div>
        )}
        <div>
          <dt>{t("batchProgress.timeLeft")}</dt>
          <dd>{finished ? "—" : formatRemaining(eta, false)}</dd>
        </div>
      </dl>

      <div className="actions">
        {finished && data.zipUrl && (
          <a className="button button-primary button-large" href={data.zipUrl} download={`${batchId}.zip`}>
            {data.zipSizeBytes
              ? t("batchProgress.downloadZipSize", { size: formatBytes(data.zipSizeBytes) })
              : t("batchProgress.downloadZip")}
          </a>
        )}
        {settled && !data.zipUrl && processedImages > 0 && (
          <button type="button" className="button button-primary button-large" disabled={zip.isPending} onClick={() => zip.mutate()}>
            {zip.isPending ? t("common.preparing") : t("batchProgress.downloadZip")}
          </button>
        )}
        {!finished &&
          (confirming ? (
            <div className="confirm" role="group" aria-label={t("batchProgress.confirmLabel")}>
              <span>{t("batchProgress.confirm")}</span>
              <button type="button" className="button button-danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
                {cancel.isPending ? t("batchProgress.cancelling") : t("batchProgress.yesCancel")}
              </button>
              <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
                {t("batchProgress.keepGoing")}
              </button>
            </div>
          ) : (
            <button type="button" className="button" onClick={() => setConfirming(true)}>
              {t("batchProgress.cancel")}
            </button>
          ))}
        <button type="button" className="button button-quiet" onClick={() => navigate(paths.batch)}>
          {t("batchProgress.newBatch")}
        </button>
      </div>
      {cancel.isError && <ErrorNotice error={cancel.error} />}
      {zip.isError && <ErrorNotice error={zip.error} />}

      {data.items && data.items.length > 0 && (
        <>
          <h2 className="section-title">{t("batchProgress.results")}</h2>
          <BatchGallery items={data.items} />
        </>
      )}
    </section>
  );
}
