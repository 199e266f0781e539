import { PEER_ROW } from "./peer.ts";
import type { MatteScores } from "./metrics.ts";

export interface RowSummary extends MatteScores {
  msPerImage: number;
}

export interface EvalReport {
  data: string;
  images: number;
  rows: Record<string, RowSummary>;
  perImage: { id: string; scores: Record<string, MatteScores & { ms: number }> }[];
}

const f = (v: number, digits: number) => v.toFixed(digits);

/** The eval's markdown: the mean table, the quality targets checked, then every image. */
export function renderEvalMarkdown(report: EvalReport, tiers: string[]): string {
  const rows = Object.keys(report.rows);
  const lines = [
    `# Matte quality — ${report.images} images`,
    "",
    `Data: \`${report.data}\`. MAE, MSE in 0..1 alpha; SAD in thousands; IoU at 0.5; boundary F within 3 px. Lower MAE/SAD/MSE, higher IoU/F is better.`,
    "",
    "| row | MAE | SAD | MSE | IoU | boundary F | ms/image |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map((row) => {
      const r = report.rows[row]!;
      return `| ${row} | ${f(r.mae, 4)} | ${f(r.sad, 2)} | ${f(r.mse, 4)} | ${f(r.iou, 4)} | ${f(r.boundaryF, 4)} | ${f(r.msPerImage, 0)} |`;
    }),
    "",
    "## Targets",
    ...targetChecks(report, tiers).map((t) => `- ${t.ok ? "met" : "NOT met"}: ${t.label}`),
    "",
    "## Per image (MAE / boundary F)",
    "",
    `| image | ${rows.join(" | ")} |`,
    `|---|${rows.map(() => "---:").join("|")}|`,
    ...report.perImage.map((p) => `| ${p.id} | ${rows.map((row) => `${f(p.scores[row]!.mae, 4)} / ${f(p.scores[row]!.boundaryF, 3)}`).join(" | ")} |`),
    "",
  ];
  return lines.join("\n");
}

export function targetChecks(report: EvalReport, tiers: string[]): { label: string; ok: boolean }[] {
  const checks: { label: string; ok: boolean }[] = [];
  for (let i = 1; i < tiers.length; i++) {
    const lower = report.rows[tiers[i - 1]!]!, higher = report.rows[tiers[i]!]!;
    checks.push({ label: `${tiers[i]} has lower MAE than ${tiers[i - 1]}`, ok: higher.mae < lower.mae });
    checks.push({ label: `${tiers[i]} has higher boundary F than ${tiers[i - 1]}`, ok: higher.boundaryF > lower.boundaryF });
  }
  const peer = report.rows[PEER_ROW], professional = report.rows.professional;
  if (peer && professional) {
    checks.push({ label: "professional beats the peer on MAE", ok: professional.mae < peer.mae });
    checks.push({ label: "professional beats the peer on boundary F", ok: professional.boundaryF > peer.boundaryF });
  }
  return checks;
}
