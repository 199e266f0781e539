const SWATCHES: { label: string; value: string | null }[] = [
  { label: "Transparent", value: null },
  { label: "White", value: "#ffffff" },
  { label: "Black", value: "#111111" },
  { label: "Sky", value: "#cfe8ff" },
  { label: "Sand", value: "#f3e3c3" },
  { label: "Mint", value: "#c9f0dd" },
];

/** Transparent or a colour behind the cut-out; applied in the preview and in the download. */
export function BackgroundPicker({ value, onChange }: { value: string | null; onChange: (colour: string | null) => void }) {
  const custom = value !== null && !SWATCHES.some((s) => s.value === value);
  return (
    <fieldset className="backgrounds">
      <legend>Background</legend>
      <div className="swatches">
        {SWATCHES.map((swatch) => (
          <label key={swatch.label} className={`swatch${value === swatch.value ? " selected" : ""}`} title={swatch.label}>
            <input type="radio" name="background" checked={value === swatch.value} onChange={() => onChange(swatch.value)} />
            <span className={swatch.value ? "swatch-chip" : "swatch-chip checkerboard"} style={swatch.value ? { background: swatch.value } : undefined} aria-hidden="true" />
            <span className="swatch-label">{swatch.label}</span>
          </label>
        ))}
        <label className={`swatch${custom ? " selected" : ""}`}>
          <input
            type="color"
            className="swatch-colour"
            value={custom && value ? value : "#4f46e5"}
            aria-label="Custom background colour"
            onChange={(event) => onChange(event.currentTarget.value)}
          />
          <span className="swatch-label">Custom</span>
        </label>
      </div>
    </fieldset>
  );
}
