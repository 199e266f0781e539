import { useTranslation } from "react-i18next";
import { formatPercent } from "../lib/format.ts";

/** A labelled progress bar; without `value` it is indeterminate (work whose length is unknown). */
export function ProgressBar({ label, value, detail }: { label: string; value?: number; detail?: string }) {
  const { t } = useTranslation();
  const percent = value === undefined ? undefined : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className="progress">
      <div className="progress-text">
        <span>{label}</span>
        <span className="progress-detail">{detail ?? (percent === undefined ? "" : formatPercent(percent))}</span>
      </div>
      <div
        className={percent === undefined ? "progress-track indeterminate" : "progress-track"}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={detail ?? (percent === undefined ? t("progress.working") : t("progress.percent", { percent }))}
      >
        <div className="progress-fill" style={percent === undefined ? undefined : { width: `${percent}%` }} />
      </div>
    </div>
  );
}
