import { PEER_ROW } from "./peer.ts";
import type { MatteScores } from "./metrics.ts";

export interface RowSummary extends MatteScores {
  msPerImage: number;
}

export interface ImageResult {
  id: string;
  /** The dataset an image comes from, by its id's prefix (see SOURCES). */
  source: string;
  /** Ground truth with real transparency (see isSoftAlpha). */
  soft: boolean;
  scores: Record<string, MatteScores & { ms: number }>;
}

export interface EvalReport {
  data: string;
  images: number;
  rows: Record<string, RowSummary>;
  perImage: ImageResult[];
}

/** Dev-set id prefixes and the datasets they name (../shared/evaldata/dev/SOURCES.md). */
export const SOURCES: Record<string, string> = { gc: "GrabCut", coco: "COCO", amt: "alphamatting.com" };

export function sourceOf(id: string): string {
  const prefix = id.split("-")[0]!;
  return SOURCES[prefix] ?? "other";
}

/** Soft alpha: at least 1 % of the scored pixels strictly between 0.02 and 0.98 (hair, fur, blur). */
export function isSoftAlpha(truth: Float32Array, ignore: Uint8Array | null): boolean {
  let soft = 0,
    scored = 0;
  for (let i = 0; i < truth.length; i++) {
    if (ignore?.[i]) continue;
    scored++;
    if (truth[i]! > 0.02 && truth[i]! < 0.98) soft++;
  }
  return scored > 0 && soft >= 0.01 * scored;
}

/** Mean scores of each row over the given images. */
export function summarise(images: ImageResult[], rows: string[]): Record<string, RowSummary> {
  const mean = (row: string, key: keyof MatteScores | "ms") => images.reduce((s, p) => s + p.scores[row]![key], 0) / images.length;
  const summary: Record<string, RowSummary> = {};
  for (const row of rows) {
    summary[row] = {
      mae: mean(row, "mae"),
      sad: mean(row, "sad"),
      mse: mean(row, "mse"),
      iou: mean(row, "iou"),
      boundaryF: mean(row, "boundaryF"),
      msPerImage: mean(row, "ms"),
    };
  }
  return summary;
}

const f = (v: number, digits: number) => v.toFixed(digits);

/** The eval's markdown: the mean table, per-source and soft-alpha tables, targets, worst images, every image. */
export function renderEvalMarkdown(report: EvalReport, tiers: string[]): string {
  const rows = Object.keys(report.rows);
  const groups = [...new Set(report.perImage.map((p) => p.source))].map((source) => ({
    label: source,
    images: report.perImage.filter((p) => p.source === source),
  }));
  groups.push({ label: "soft alpha", images: report.perImage.filter((p) => p.soft) });
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
    "## By source and soft alpha (MAE / boundary F)",
    "",
    `| images | n | ${rows.join(" | ")} |`,
    `|---|---:|${rows.map(() => "---:").join("|")}|`,
    ...groups
      .filter((g) => g.images.length > 0)
      .map((g) => {
        const summary = summarise(g.images, rows);
        return `| ${g.label} | ${g.images.length} | ${rows.map((row) => `${f(summary[row]!.mae, 4)} / ${f(summary[row]!.boundaryF, 3)}`).join(" | ")} |`;
      }),
    "",
    "## Targets",
    ...targetChecks(report, tiers).map((t) => `- ${t.ok ? "met" : "NOT met"}: ${t.label}`),
    "",
    "## Worst five per row (MAE)",
    "",
    ...rows.map((row) => {
      const worst = [...report.perImage].sort((a, b) => b.scores[row]!.mae - a.scores[row]!.mae).slice(0, 5);
      return `- ${row}: ${worst.map((p) => `${p.id} ${f(p.scores[row]!.mae, 4)}`).join(", ")}`;
    }),
    "",
    "## Per image (MAE / boundary F)",
    "",
    `| image | ${rows.join(" | ")} |`,
    `|---|${rows.map(() => "---:").join("|")}|`,
    ...report.perImage.map(
      (p) => `| ${p.id} | ${rows.map((row) => `${f(p.scores[row]!.mae, 4)} / ${f(p.scores[row]!.boundaryF, 3)}`).join(" | ")} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

/** A catastrophic image: the row fails badly where the peer does well. */
const CATASTROPHE = { rowMae: 0.25, peerMae: 0.1 };
/** On soft-alpha images the top tier must cut standard's MAE by at least this share. */
const SOFT_ALPHA_GAIN = 0.15;

export function targetChecks(report: EvalReport, tiers: string[]): { label: string; ok: boolean }[] {
  const checks: { label: string; ok: boolean }[] = [];
  for (let i = 1; i < tiers.length; i++) {
    const lower = report.rows[tiers[i - 1]!]!,
      higher = report.rows[tiers[i]!]!;
    checks.push({ label: `${tiers[i]} has lower MAE than ${tiers[i - 1]}`, ok: higher.mae < lower.mae });
    checks.push({ label: `${tiers[i]} has higher boundary F than ${tiers[i - 1]}`, ok: higher.boundaryF > lower.boundaryF });
  }
  const peer = report.rows[PEER_ROW];
  const basic = report.rows.basic;
  if (peer && basic) checks.push({ label: "basic is no worse than the peer on MAE", ok: basic.mae <= peer.mae });
  const soft = report.perImage.filter((p) => p.soft);
  if (soft.length > 0 && report.rows.industry && report.rows.standard) {
    const summary = summarise(soft, ["standard", "industry"]);
    const gain = 1 - summary.industry!.mae / summary.standard!.mae;
    checks.push({
      label: `on soft alpha, industry's MAE is ≥ ${SOFT_ALPHA_GAIN * 100} % below standard's (${f(gain * 100, 1)} %)`,
      ok: gain >= SOFT_ALPHA_GAIN,
    });
  }
  if (peer) {
    for (const tier of tiers) {
      const failures = report.perImage.filter(
        (p) => p.scores[tier]!.mae > CATASTROPHE.rowMae && p.scores[PEER_ROW]!.mae < CATASTROPHE.peerMae,
      );
      checks.push({
        label: `${tier}: no image above ${CATASTROPHE.rowMae} MAE where the peer is below ${CATASTROPHE.peerMae}${failures.length ? ` (${failures.map((p) => p.id).join(", ")})` : ""}`,
        ok: failures.length === 0,
      });
    }
  }
  return checks;
}
