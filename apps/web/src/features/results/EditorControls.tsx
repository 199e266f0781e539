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
type Background = Options["background"];
export type BackgroundKind = Background["kind"];

const BACKGROUND_KINDS: readonly BackgroundKind[] = ["transparent", "colour", "image", "blur"];
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
  const { t } = useTranslation();
  return (
    <>
      <BackgroundControls
        background={options.background}
        onChange={(background) => onChange({ ...options, background })}
        backgroundFile={backgroundFile}
        onBackgroundFile={onBackgroundFile}
      />
      <ShadowControls options={options} onChange={onChange} />
      <fieldset className="editor-group">
        <legend>{t("editor.cropLegend")}</legend>
        <CropControl crop={options.crop} onChange={(crop) => onChange({ ...options, crop })} />
        <AspectControl aspect={options.aspect} onChange={(aspect) => onChange({ ...options, aspect })} />
      </fieldset>
    </>
  );
}

/** The background behind the subject: the editor offers every kind, a batch the ones it lists in `kinds`. */
export function BackgroundControls({
  background,
  onChange,
  backgroundFile,
  onBackgroundFile,
  kinds = BACKGROUND_KINDS,
}: {
  background: Background;
  onChange: (next: Background) => void;
  backgroundFile: File | null;
  onBackgroundFile: (file: File | null) => void;
  kinds?: readonly BackgroundKind[];
}) {
  const { t } = useTranslation();
  const choose = (kind: BackgroundKind) => {
    if (kind === background.kind) return;
    onChange(
      kind === "colour"
        ? { kind, colour: DEFAULT_BACKGROUND_COLOUR }
        : kind === "image"
          ? { kind, fit: "cover" }
          : kind === "blur"
            ? { kind, strength: DEFAULT_BLUR }
            : { kind },
    );
  };
  return (
    <fieldset className="editor-group">
      <legend>{t("editor.backgroundLegend")}</legend>
      <div className="segmented">
        {kinds.map((kind) => (
          <label key={kind} className={background.kind === kind ? "selected" : undefined}>
            <input type="radio" name="background-kind" checked={background.kind === kind} onChange={() => choose(kind)} />
            {t(`editor.kind.${kind}`)}
          </label>
        ))}
      </div>
      {background.kind === "colour" && (
        <BackgroundPicker value={background.colour} onChange={(colour) => onChange({ kind: "colour", colour })} />
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
              onChange={(event) => onChange({ kind: "image", fit: event.currentTarget.value as BackgroundFit })}
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
          onChange={(strength) => onChange({ kind: "blur", strength })}
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

/** Crop to the subject, with a margin. */
export function CropControl({ crop, onChange }: { crop: Options["crop"]; onChange: (next: Options["crop"]) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <label className="check">
        <input
          type="checkbox"
          checked={crop !== null}
          onChange={(event) => onChange(event.currentTarget.checked ? { marginPercent: DEFAULT_MARGIN_PERCENT } : null)}
        />
        {t("editor.cropToSubject")}
      </label>
      {crop && (
        <Slider
          label={t("editor.cropMargin")}
          min={0}
          max={MAX_CROP_MARGIN_PERCENT}
          value={crop.marginPercent}
          display={formatPercent(crop.marginPercent)}
          onChange={(marginPercent) => onChange({ marginPercent })}
        />
      )}
    </>
  );
}

function AspectControl({ aspect: current, onChange }: { aspect: AspectPreset | null; onChange: (next: AspectPreset | null) => void }) {
  const { t } = useTranslation();
  const aspects: (AspectPreset | null)[] = [null, ...(Object.keys(ASPECT_PRESETS) as AspectPreset[])];
  return (
    <>
      <span className="field-label" id="aspect-label">
        {t("editor.aspectLabel")}
      </span>
      <div className="segmented" role="radiogroup" aria-labelledby="aspect-label">
        {aspects.map((aspect) => (
          <label key={aspect ?? "none"} className={current === aspect ? "selected" : undefined}>
            <input type="radio" name="aspect" checked={current === aspect} onChange={() => onChange(aspect)} />
            {aspect ?? t("editor.aspectOriginal")}
          </label>
        ))}
      </div>
    </>
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
