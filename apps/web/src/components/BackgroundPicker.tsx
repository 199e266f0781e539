import { useTranslation } from "react-i18next";

const SWATCHES = [
  { name: "transparent", value: null },
  { name: "white", value: "#ffffff" },
  { name: "black", value: "#111111" },
  { name: "sky", value: "#cfe8ff" },
  { name: "sand", value: "#f3e3c3" },
  { name: "mint", value: "#c9f0dd" },
] as const;

/** Transparent or a colour behind the cut-out; applied in the preview and in the download. */
export function BackgroundPicker({ value, onChange }: { value: string | null; onChange: (colour: string | null) => void }) {
  const { t } = useTranslation();
  const custom = value !== null && !SWATCHES.some((s) => s.value === value);
  return (
    <fieldset className="backgrounds">
      <legend>{t("background.legend")}</legend>
      <div className="swatches">
        {SWATCHES.map((swatch) => (
          <label key={swatch.name} className={`swatch${value === swatch.value ? " selected" : ""}`} title={t(`background.${swatch.name}`)}>
            <input type="radio" name="background" checked={value === swatch.value} onChange={() => onChange(swatch.value)} />
            <span className={swatch.value ? "swatch-chip" : "swatch-chip checkerboard"} style={swatch.value ? { background: swatch.value } : undefined} aria-hidden="true" />
            <span className="swatch-label">{t(`background.${swatch.name}`)}</span>
          </label>
        ))}
        <label className={`swatch${custom ? " selected" : ""}`}>
          <input
            type="color"
            className="swatch-colour"
            value={custom && value ? value : "#4f46e5"}
            aria-label={t("background.customLabel")}
            onChange={(event) => onChange(event.currentTarget.value)}
          />
          <span className="swatch-label">{t("background.custom")}</span>
        </label>
      </div>
    </fieldset>
  );
}
