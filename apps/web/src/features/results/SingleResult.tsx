import { PLAIN_COMPOSITION, type ComposeRequest } from "@bgr/domain/editor";
import { useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import type { Job } from "../../api/trpc.ts";
import { BeforeAfter } from "../../components/BeforeAfter.tsx";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { formatCredits, formatSeconds } from "../../lib/format.ts";
import { tierLabel } from "../../lib/tiers.ts";
import { DownloadPanel } from "./DownloadPanel.tsx";
import { EditorControls } from "./EditorControls.tsx";
import { MatteBrush } from "./MatteBrush.tsx";
import { useBackgroundFile } from "./use-background-file.ts";
import { useComposedPreview } from "./use-composed-preview.ts";

/**
 * The finished removal and its editor: background, shadow, crop and aspect, previewed and downloaded
 * as the server composes them, and a brush for the edges whose saves become new matte versions.
 */
export function SingleResult({ job, onAnother }: { job: Job; onAnother: () => void }) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<ComposeRequest>(PLAIN_COMPOSITION);
  const { file: backgroundFile, problem: backgroundProblem, choose: chooseBackground } = useBackgroundFile();
  // Bumped by each saved edit, so the preview is composed again from the new matte.
  const [saves, setSaves] = useState(0);
  const [brushing, setBrushing] = useState(false);
  const preview = useComposedPreview(job.jobId, options, backgroundFile, saves);

  const width = job.metadata.width ?? 1;
  const height = job.metadata.height ?? 1;
  const reframed = options.crop !== null || options.aspect !== null;

  return (
    <section className="result" aria-labelledby="result-title">
      <div className="result-head">
        <h2 id="result-title">{t("result.title")}</h2>
        <p className="muted" role="status">
          {job.originalFileName} · {tierLabel(job.tier)} ·{" "}
          {job.creditsUsed > 0 ? t("result.used", { credits: formatCredits(job.creditsUsed) }) : t("common.coveredByPlan")}
          {job.processingTimeMs !== null ? ` · ${formatSeconds(job.processingTimeMs)}` : ""}
        </p>
      </div>
      {brushing && <MatteBrush jobId={job.jobId} onSaved={() => setSaves((n) => n + 1)} onClose={() => setBrushing(false)} />}
      <div className="result-body">
        <div className="result-stage" aria-busy={preview.pending}>
          {preview.url && !reframed && (
            <BeforeAfter before={job.originalUrl} after={preview.url} background={null} width={width} height={height} />
          )}
          {preview.url && reframed && (
            <figure className="composed" style={{ "--ratio": preview.width / Math.max(1, preview.height) } as CSSProperties}>
              <img
                className="checkerboard"
                src={preview.url}
                alt={t("editor.previewLabel")}
                width={preview.width}
                height={preview.height}
              />
              <figcaption className="muted small">{t("editor.croppedNote")}</figcaption>
            </figure>
          )}
          <p className="muted small preview-status" role="status">
            {preview.pending ? t("editor.previewing") : ""}
          </p>
          {preview.error !== null && (
            <ErrorNotice error={preview.error}>{<p className="notice-text">{t("editor.previewFailed")}</p>}</ErrorNotice>
          )}
        </div>
        <div className="result-side" aria-label={t("editor.controls")} role="group">
          <EditorControls options={options} onChange={setOptions} backgroundFile={backgroundFile} onBackgroundFile={chooseBackground} />
          {backgroundProblem && (
            <p className="notice notice-error" role="alert">
              {backgroundProblem}
            </p>
          )}
          <button type="button" className="button" aria-expanded={brushing} onClick={() => setBrushing(true)}>
            {t("editor.touchUp")}
          </button>
          <p className="muted small" data-testid="matte-version">
            {preview.version > 1 ? t("editor.version", { version: preview.version }) : t("editor.versionOriginal")}
          </p>
          <DownloadPanel
            jobId={job.jobId}
            originalName={job.originalFileName}
            options={options}
            background={backgroundFile}
            fullSize={{ width, height }}
          />
          <button type="button" className="button button-quiet" onClick={onAnother}>
            {t("result.another")}
          </button>
        </div>
      </div>
    </section>
  );
}
