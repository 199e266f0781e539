import { useState } from "react";
import { useTranslation } from "react-i18next";
import { trpc, type Job } from "../../api/trpc.ts";
import { BackgroundPicker } from "../../components/BackgroundPicker.tsx";
import { BeforeAfter } from "../../components/BeforeAfter.tsx";
import { formatBytes, formatCredits, formatNumber, formatSeconds } from "../../lib/format.ts";
import { tierLabel } from "../../lib/tiers.ts";
import { downloadCutout, type DownloadFormat } from "./download.ts";

/** The finished removal: compare, choose a background, download. */
export function SingleResult({ job, onAnother }: { job: Job; onAnother: () => void }) {
  const { t } = useTranslation();
  const [background, setBackground] = useState<string | null>(null);
  const [busy, setBusy] = useState<DownloadFormat | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const width = job.metadata.width ?? 1;
  const height = job.metadata.height ?? 1;

  async function download(format: DownloadFormat) {
    setBusy(format);
    setProblem(null);
    try {
      // Signed again on each download, so a page left open past the link's hour still works.
      const { processedUrl } = await trpc.jobs.links.query({ jobId: job.jobId });
      if (!processedUrl) throw new Error(t("result.gone"));
      await downloadCutout(processedUrl, { background, format, originalName: job.originalFileName });
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="result" aria-labelledby="result-title">
      <div className="result-head">
        <h2 id="result-title">{t("result.title")}</h2>
        <p className="muted" role="status">
          {job.originalFileName} · {tierLabel(job.tier)} · {job.creditsUsed > 0 ? t("result.used", { credits: formatCredits(job.creditsUsed) }) : t("common.coveredByPlan")}
          {job.processingTimeMs !== null ? ` · ${formatSeconds(job.processingTimeMs)}` : ""}
        </p>
      </div>
      <div className="result-body">
        {job.processedUrl && <BeforeAfter before={job.originalUrl} after={job.processedUrl} background={background} width={width} height={height} />}
        <div className="result-side">
          <BackgroundPicker value={background} onChange={setBackground} />
          <div className="downloads">
            <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => download("png")}>
              {busy === "png" ? t("common.preparing") : t("result.downloadPng")}
            </button>
            <button type="button" className="button" disabled={busy !== null} onClick={() => download("webp")}>
              {busy === "webp" ? t("common.preparing") : t("result.downloadWebp")}
            </button>
          </div>
          <p className="muted small">
            {formatNumber(width)} × {formatNumber(height)} px{job.metadata.processedSize ? t("result.pngSize", { size: formatBytes(job.metadata.processedSize) }) : ""}
          </p>
          {problem && (
            <p className="notice notice-error" role="alert">
              {problem}
            </p>
          )}
          <button type="button" className="button button-quiet" onClick={onAnother}>
            {t("result.another")}
          </button>
        </div>
      </div>
    </section>
  );
}
