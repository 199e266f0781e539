import { COMPOSE_FORMATS, type ComposeFormat, type ComposeRequest, type ComposeSize } from "@bgr/domain/editor";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { saveBlob } from "../../api/rest.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { formatNumber, resultFileName } from "../../lib/format.ts";
import { composeResult } from "./editor-api.ts";

const FORMAT_NAMES: Record<ComposeFormat, string> = { png: "PNG", webp: "WebP", jpg: "JPG" };

/** Format and size, then the server composes the download with the editor's options. */
export function DownloadPanel({
  jobId,
  originalName,
  options,
  background,
  fullSize,
}: {
  jobId: string;
  originalName: string;
  options: ComposeRequest;
  background: Blob | null;
  fullSize: { width: number; height: number };
}) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<ComposeFormat>("png");
  const [size, setSize] = useState<ComposeSize>("original");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  async function download() {
    setBusy(true);
    setProblem(null);
    try {
      const { blob } = await composeResult(jobId, { ...options, format, size }, background);
      saveBlob(blob, resultFileName(originalName, format));
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <fieldset className="editor-group">
      <legend>{t("editor.downloadLegend")}</legend>
      <span className="field-label" id="format-label">
        {t("editor.formatLabel")}
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby="format-label">
        {COMPOSE_FORMATS.map((name) => (
          <label key={name} className={format === name ? "selected" : undefined}>
            <input type="radio" name="download-format" checked={format === name} onChange={() => setFormat(name)} />
            {FORMAT_NAMES[name]}
          </label>
        ))}
      </div>
      {format === "jpg" && options.background.kind === "transparent" && <p className="muted small">{t("editor.jpgNote")}</p>}
      <span className="field-label" id="size-label">
        {t("editor.sizeLabel")}
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby="size-label">
        <label className={size === "original" ? "selected" : undefined}>
          <input type="radio" name="download-size" checked={size === "original"} onChange={() => setSize("original")} />
          {t("editor.sizeOriginal")}
        </label>
        <label className={size === "preview" ? "selected" : undefined}>
          <input type="radio" name="download-size" checked={size === "preview"} onChange={() => setSize("preview")} />
          {t("editor.sizePreview")}
        </label>
      </div>
      {options.crop === null && options.aspect === null && size === "original" && (
        <p className="muted small">
          {formatNumber(fullSize.width)} × {formatNumber(fullSize.height)} px
        </p>
      )}
      <button type="button" className="button button-primary" disabled={busy} onClick={download}>
        {busy ? t("editor.downloading") : t("editor.download", { format: FORMAT_NAMES[format] })}
      </button>
      {problem !== null && <ErrorNotice error={problem} />}
    </fieldset>
  );
}
