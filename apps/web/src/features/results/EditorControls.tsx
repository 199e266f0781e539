import {
  ASPECT_PRESETS,
  BACKGROUND_FITS,
  MAX_CROP_MARGIN_PERCENT,
  SHADOW_TYPES,
  type AspectPreset,
  type BackgroundFit,
  type ComposeRequest,
  type ShadowType,
} from "@bgr/domain/editor";
import { useTranslation } from "react-i18next";
import { BackgroundPicker, DEFAULT_BACKGROUND_COLOUR } from "../../components/BackgroundPicker.tsx";
import { formatPercent } from "../../lib/format.ts";

type Options = ComposeRequest;
type Change = (next: Options) => void;
type BackgroundKind = Options["background"]["kind"];

const BACKGROUND_KINDS: BackgroundKind[] = ["transparent", "colour", "image", "blur"];
/** Where a shadow starts when the user first moves it (fractions of the subject's height). */
const FIRST_SHADOW_OFFSET = { x: 0.03, y: 0.03 };
const DEFAULT_BLUR = 30;
const DEFAULT_MARGIN_PERCENT = 10;

/** Background, shadow, crop and aspect of the composition; every change is previewed by the server. */
export function EditorControls({
  options,
  onChange,
  backgroundFile,
  onBackgroundFile,
}: {
  options: Options;
  onChange: Change;
  backgroundFile: File | null;
  onBackgroundFile: (file: File | null) => void;
}) {
  return (
    <>
      <BackgroundControls options={options} onChange={onChange} backgroundFile={backgroundFile} onBackgroundFile={onBackgroundFile} />
      <ShadowControls options={options} onChange={onChange} />
      <CropControls options={options} onChange={onChange} />
    </>
  );
}

function BackgroundControls({
  options,
  onChange,
  backgroundFile,
  onBackgroundFile,
}: {
  options: Options;
  onChange: Change;
  backgroundFile: File | null;
  onBackgroundFile: (file: File | null) => void;
}) {
  const { t } = useTranslation();
  const background = options.background;
  const choose = (kind: BackgroundKind) => {
    if (kind === background.kind) return;
    const next: Options["background"] =
      kind === "colour"
        ? { kind, colour: DEFAULT_BACKGROUND_COLOUR }
        : kind === "image"
          ? { kind, fit: "cover" }
          : kind === "blur"
            ? { kind, strength: DEFAULT_BLUR }
            : { kind };
    onChange({ ...options, background: next });
  };
  return (
    <fieldset className="editor-group">
      <legend>{t("editor.backgroundLegend")}</legend>
      <div className="segmented">
        {BACKGROUND_KINDS.map((kind) => (
          <label key={kind} className={background.kind === kind ? "selected" : undefined}>
            <input type="radio" name="background-kind" checked={background.kind === kind} onChange={() => choose(kind)} />
            {t(`editor.kind.${kind}`)}
          </label>
        ))}
      </div>
      {background.kind === "colour" && (
        <BackgroundPicker
          value={background.colour}
          onChange={(colour) => onChange({ ...options, background: { kind: "colour", colour } })}
        />
      )}
      {background.kind === "image" && (
        <>
          <label className="button file-button">
            {backgroundFile ? t("editor.imageChosen", { name: backgroundFile.name }) : t("editor.imageChoose")}
            <input
              type="file"
              accept="image/jpeg,image/png,image/webp"
              className="visually-hidden"
              data-testid="background-file"
              onChange={(event) => onBackgroundFile(event.currentTarget.files?.[0] ?? null)}
            />
          </label>
          {!backgroundFile && <p className="muted small">{t("editor.imageNeeded")}</p>}
          <label className="field">
            <span>{t("editor.fitLabel")}</span>
            <select
              value={background.fit}
              onChange={(event) => onChange({ ...options, background: { kind: "image", fit: event.currentTarget.value as BackgroundFit } })}
            >
              {BACKGROUND_FITS.map((fit) => (
                <option key={fit} value={fit}>
                  {t(`editor.fit.${fit}`)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {background.kind === "blur" && (
        <Slider
          label={t("editor.blurStrength")}
          min={1}
          max={100}
          value={background.strength}
          display={String(background.strength)}
          onChange={(strength) => onChange({ ...options, background: { kind: "blur", strength } })}
        />
      )}
    </fieldset>
  );
}

function ShadowControls({ options, onChange }: { options: Options; onChange: Change }) {
  const { t } = useTranslation();
  const shadow = options.shadow;
  const setType = (type: ShadowType | "none") =>
    onChange({ ...options, shadow: type === "none" ? null : { type, opacity: shadow?.opacity ?? 0.5, offset: shadow?.offset ?? null } });
  return (
    <fieldset className="editor-group">
      <legend>{t("editor.shadowLegend")}</legend>
      <div className="segmented">
        {(["none", ...SHADOW_TYPES] as const).map((type) => (
          <label key={type} className={(shadow?.type ?? "none") === type ? "selected" : undefined}>
            <input type="radio" name="shadow-type" checked={(shadow?.type ?? "none") === type} onChange={() => setType(type)} />
            {t(`editor.shadow.${type}`)}
          </label>
        ))}
      </div>
      {shadow && (
        <>
          <Slider
            label={t("editor.shadowOpacity")}
            min={0}
            max={100}
            value={Math.round(shadow.opacity * 100)}
            display={formatPercent(Math.round(shadow.opacity * 100))}
            onChange={(value) => onChange({ ...options, shadow: { ...shadow, opacity: value / 100 } })}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={shadow.offset !== null}
              onChange={(event) =>
                onChange({ ...options, shadow: { ...shadow, offset: event.currentTarget.checked ? FIRST_SHADOW_OFFSET : null } })
              }
            />
            {t("editor.shadowMove")}
          </label>
          {shadow.offset && (
            <>
              <Slider
                label={t("editor.shadowX")}
                min={-50}
                max={50}
                value={Math.round(shadow.offset.x * 100)}
                display={formatPercent(Math.round(shadow.offset.x * 100))}
                onChange={(x) => onChange({ ...options, shadow: { ...shadow, offset: { ...shadow.offset!, x: x / 100 } } })}
              />
              <Slider
                label={t("editor.shadowY")}
                min={-50}
                max={50}
                value={Math.round(shadow.offset.y * 100)}
                display={formatPercent(Math.round(shadow.offset.y * 100))}
                onChange={(y) => onChange({ ...options, shadow: { ...shadow, offset: { ...shadow.offset!, y: y / 100 } } })}
              />
            </>
          )}
        </>
      )}
    </fieldset>
  );
}

function CropControls({ options, onChange }: { options: Options; onChange: Change }) {
  const { t } = useTranslation();
  const aspects: (AspectPreset | null)[] = [null, ...(Object.keys(ASPECT_PRESETS) as AspectPreset[])];
  return (
    <fieldset className="editor-group">
      <legend>{t("editor.cropLegend")}</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={options.crop !== null}
          onChange={(event) =>
            onChange({ ...options, crop: event.currentTarget.checked ? { marginPercent: DEFAULT_MARGIN_PERCENT } : null })
          }
        />
        {t("editor.cropToSubject")}
      </label>
      {options.crop && (
        <Slider
          label={t("editor.cropMargin")}
          min={0}
          max={MAX_CROP_MARGIN_PERCENT}
          value={options.crop.marginPercent}
          display={formatPercent(options.crop.marginPercent)}
          onChange={(marginPercent) => onChange({ ...options, crop: { marginPercent } })}
        />
      )}
      <span className="field-label" id="aspect-label">
        {t("editor.aspectLabel")}
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby="aspect-label">
        {aspects.map((aspect) => (
          <label key={aspect ?? "none"} className={options.aspect === aspect ? "selected" : undefined}>
            <input type="radio" name="aspect" checked={options.aspect === aspect} onChange={() => onChange({ ...options, aspect })} />
            {aspect ?? t("editor.aspectOriginal")}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function Slider({
  label,
  min,
  max,
  value,
  display,
  onChange,
}: {
  label: string;
  min: number;
  max: number;
  value: number;
  display: string;
  onChange: (value: number) => void;
}) {
  return (
    <label className="slider">
      <span className="slider-head">
        <span>{label}</span>
        <output>{display}</output>
      </span>
      <input
        type="range"
        aria-label={label}
        min={min}
        max={max}
        step={1}
        value={value}
        onChange={(event) => onChange(Number(event.currentTarget.value))}
      />
    </label>
  );
}
