import { COMPOSE_FORMATS, type BatchOptions, type ComposeFormat } from "@bgr/domain/editor";
import { useTranslation } from "react-i18next";
import { BackgroundControls, CropControl, type BackgroundKind } from "../results/EditorControls.tsx";

/** The backgrounds a batch offers: each item is composed on its own, so a blur would be of its own photo too. */
const BATCH_BACKGROUNDS: readonly BackgroundKind[] = ["transparent", "colour", "image"];
const FORMAT_NAMES: Record<ComposeFormat, string> = { png: "PNG", webp: "WebP", jpg: "JPG" };

/** What every result of the batch gets: a background, a crop to the subject and a format (the same price). */
export function BatchOutputOptions({
  options,
  onChange,
  backgroundFile,
  onBackgroundFile,
  disabled,
}: {
  options: BatchOptions;
  onChange: (next: BatchOptions) => void;
  backgroundFile: File | null;
  onBackgroundFile: (file: File | null) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="batch-output" disabled={disabled}>
      <legend>{t("batch.outputLegend")}</legend>
      <p className="muted small">{t("batch.outputLead")}</p>
      <div className="batch-output-groups">
        <BackgroundControls
          background={options.background}
          onChange={(background) => onChange({ ...options, background })}
          backgroundFile={backgroundFile}
          onBackgroundFile={onBackgroundFile}
          kinds={BATCH_BACKGROUNDS}
        />
        <fieldset className="editor-group">
          <legend>{t("batch.outputCrop")}</legend>
          <CropControl crop={options.crop} onChange={(crop) => onChange({ ...options, crop })} />
        </fieldset>
        <fieldset className="editor-group">
          <legend>{t("editor.formatLabel")}</legend>
          <div className="segmented" role="radiogroup" aria-label={t("editor.formatLabel")}>
            {COMPOSE_FORMATS.map((format) => (
              <label key={format} className={options.format === format ? "selected" : undefined}>
                <input
                  type="radio"
                  name="batch-format"
                  checked={options.format === format}
                  onChange={() => onChange({ ...options, format })}
                />
                {FORMAT_NAMES[format]}
              </label>
            ))}
          </div>
          {options.format === "jpg" && options.background.kind === "transparent" && <p className="muted small">{t("editor.jpgNote")}</p>}
        </fieldset>
      </div>
    </fieldset>
  );
}
