import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { isFinished, isSettled } from "../../api/contracts.ts";
import { keys, useBatch, useRefreshAccount } from "../../api/queries.ts";
import { downloadWithAuth } from "../../api/rest.ts";
import { trpc } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { batchFigures } from "../../lib/batch-figures.ts";
import { capitalise, formatBytes, formatRemaining, remainingMs } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { TIER_INFO } from "../../lib/tiers.ts";
import { BatchGallery } from "./BatchGallery.tsx";

/** A running or finished batch: live progress, results as they finish, the ZIP, cancel. */
export function BatchProgress({ batchId }: { batchId: string }) {
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

  if (batch.isPending) return <p className="panel muted">Loading the batch…</p>;
  if (batch.isError || !data) {
    return (
      <section className="panel">
        <ErrorNotice error={batch.error} />
        <button type="button" className="button" onClick={() => navigate(paths.batch)}>
          Start a new batch
        </button>
      </section>
    );
  }

  const { totalImages, processedImages, failedImages, cancelledImages, percentage } = data.progress;
  const done = processedImages + failedImages;
  const eta = remainingMs({ estimatedCompletionAt: data.timing.estimatedCompletionAt, startedAt: data.timing.startedAt, done, total: totalImages });
  const figures = batchFigures(data);

  return (
    <section className="panel" aria-labelledby="batch-progress-title">
      <div className="panel-head">
        <h1 id="batch-progress-title">
          Batch of {totalImages} images <span className={`status status-${data.status}`}>{capitalise(data.status)}</span>
        </h1>
        <p className="muted">
          {data.tier ? `${TIER_INFO[data.tier]?.label ?? data.tier} · ` : ""}
          {figures.creditsLine}
          {data.pricing.discountPercentage > 0 ? ` (${data.pricing.discountPercentage} % volume discount)` : ""}
        </p>
      </div>

      <ProgressBar
        label="Batch progress"
        value={percentage / 100}
        detail={`${figures.progressLine}${finished ? "" : ` · ${formatRemaining(eta)}`}`}
      />
      <dl className="stats" data-testid="batch-stats">
        <div>
          <dt>Processed</dt>
          <dd>{processedImages}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd className={failedImages > 0 ? "text-bad" : undefined}>{failedImages}</dd>
        </div>
        {cancelledImages > 0 ? (
          <div>
            <dt>Cancelled</dt>
            <dd>{cancelledImages}</dd>
          </div>
        ) : (
          <div>
            <dt>Progress</dt>
            <dd>{percentage} %</dd>
          </div>
        )}
        <div>
          <dt>Time left</dt>
          <dd>{finished ? "—" : formatRemaining(eta, false)}</dd>
        </div>
      </dl>

      <div className="actions">
        {finished && data.zipUrl && (
          <a className="button button-primary button-large" href={data.zipUrl} download={`${batchId}.zip`}>
            Download ZIP{data.zipSizeBytes ? ` (${formatBytes(data.zipSizeBytes)})` : ""}
          </a>
        )}
        {settled && !data.zipUrl && processedImages > 0 && (
          <button type="button" className="button button-primary button-large" disabled={zip.isPending} onClick={() => zip.mutate()}>
            {zip.isPending ? "Preparing…" : "Download ZIP"}
          </button>
        )}
        {!finished &&
          (confirming ? (
            <div className="confirm" role="group" aria-label="Confirm cancelling">
              <span>Stop the images not started yet? They are refunded.</span>
              <button type="button" className="button button-danger" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
                {cancel.isPending ? "Cancelling…" : "Yes, cancel"}
              </button>
              <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
                Keep going
              </button>
            </div>
          ) : (
            <button type="button" className="button" onClick={() => setConfirming(true)}>
              Cancel batch
            </button>
          ))}
        <button type="button" className="button button-quiet" onClick={() => navigate(paths.batch)}>
          New batch
        </button>
      </div>
      {cancel.isError && <ErrorNotice error={cancel.error} />}
      {zip.isError && <ErrorNotice error={zip.error} />}

      {data.items && data.items.length > 0 && (
        <>
          <h2 className="section-title">Results</h2>
          <BatchGallery items={data.items} />
        </>
      )}
    </section>
  );
}
