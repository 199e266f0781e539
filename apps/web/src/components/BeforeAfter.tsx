import { useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";

interface BeforeAfterProps {
  before: string;
  after: string;
  /** CSS colour behind the cut-out; null shows the transparency checkerboard. */
  background: string | null;
  width: number;
  height: number;
}

/**
 * The original over the result, split by a slider. The range input covers the picture, so dragging
 * anywhere works, and arrow keys move it when focused.
 */
export function BeforeAfter({ before, after, background, width, height }: BeforeAfterProps) {
  const { t } = useTranslation();
  const [position, setPosition] = useState(50);
  const style = { "--split": `${position}%`, aspectRatio: `${width} / ${height}`, "--ratio": width / height } as CSSProperties;
  return (
    <div className="compare" style={style}>
      <div className={background ? "compare-stage" : "compare-stage checkerboard"} style={background ? { background } : undefined}>
        <img className="compare-after" src={after} alt={t("compare.after")} draggable={false} />
        <img className="compare-before" src={before} alt={t("compare.before")} draggable={false} />
        <span className="compare-line" aria-hidden="true" />
        <span className="compare-tag compare-tag-before" aria-hidden="true">
          {t("compare.beforeTag")}
        </span>
        <span className="compare-tag compare-tag-after" aria-hidden="true">
          {t("compare.afterTag")}
        </span>
      </div>
      <input
        className="compare-range"
        type="range"
        min={0}
        max={100}
        step={1}
        value={position}
        aria-label={t("compare.slider")}
        onChange={(event) => setPosition(Number(event.currentTarget.value))}
      />
    </div>
  );
}
