import { useTranslation } from "react-i18next";

const SWATCHES = [
  { name: "white", value: "#ffffff" },
  { name: "black", value: "#111111" },
  { name: "sky", value: "#cfe8ff" },
  { name: "sand", value: "#f3e3c3" },
  { name: "mint", value: "#c9f0dd" },
] as const;

export const DEFAULT_BACKGROUND_COLOUR = SWATCHES[0].value;

/** A colour behind the cut-out: a few swatches and a custom colour. */
export function BackgroundPicker({ value, onChange }: { value: string; onChange: (colour: string) => void }) {
  const { t } = useTranslation();
  const custom = !SWATCHES.some((s) => s.value === value);
  return (
    <div className="swatches" role="radiogroup" aria-label={t("background.legend")}>
      {SWATCHES.map((swatch) => (
        <label key={swatch.name} className={`swatch${value === swatch.value ? " selected" : ""}`} title={t(`background.${swatch.name}`)}>
          <input type="radio" name="background-colour" checked={value === swatch.value} onChange={() => onChange(swatch.value)} />
          <span className="swatch-chip" style={{ background: swatch.value }} aria-hidden="true" />
          <span className="swatch-label">{t(`background.${swatch.name}`)}</span>
        </label>
      ))}
      <label className={`swatch${custom ? " selected" : ""}`}>
        <input
          type="color"
          className="swatch-colour"
          value={custom ? value : "#4f46e5"}
          aria-label={t("background.customLabel")}
          onChange={(event) => onChange(event.currentTarget.value)}
        />
        <span className="swatch-label">{t("background.custom")}</span>
      </label>
    </div>
  );
}
