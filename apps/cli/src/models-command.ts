import { isPackModel, TIER_NAMES, type ModelInfo, type RemovalEngine } from "@bgr/engine";
import { formatBytes } from "./pull-command.ts";

const AVAILABILITY_NOTE =
  "ready: installed or assembled in the cache; assemblable: assembled from the installed npm package on first use; " +
  "missing: cannot be used (a model pack: install it with bgr models pull <id>).";

export interface TierRow {
  tier: string;
  model: string;
  choices: readonly string[];
}

/** Prints the model table and the tier table to `stdout`. Always exit code 0: a missing model is information here. */
export async function runModels(engine: RemovalEngine, stdout: NodeJS.WritableStream): Promise<number> {
  const models = await engine.models();
  const tiers = TIER_NAMES.map((tier) => ({ tier, model: engine.tier(tier).model, choices: engine.tierChoices(tier) }));
  stdout.write(`${formatModelsTable(models, tiers)}\n\n${formatTiersTable(tiers, models)}\n\n${AVAILABILITY_NOTE}\n`);
  return 0;
}

/** Pure: one row per model, columns padded to their widest cell. */
export function formatModelsTable(models: readonly ModelInfo[], tiers: readonly TierRow[]): string {
  return table([
    ["ID", "LICENCE", "SIZE", "INPUT", "AVAILABILITY", "TIERS", "DESCRIPTION"],
    ...models.map(({ definition: d, availability, sizeBytes }) => [
      d.id,
      d.licence ?? "-",
      sizeBytes === null ? "-" : `${isPackModel(d) && availability === "missing" ? "~" : ""}${formatBytes(sizeBytes)}`,
      `${d.inputSize}x${d.inputSize}`,
      availability,
      tiers
        .filter((t) => t.model === d.id)
        .map((t) => t.tier)
        .join(", ") || "-",
      d.description,
    ]),
  ]);
}

/** Pure: which model each tier uses now, and the list it chose from (best first). */
export function formatTiersTable(tiers: readonly TierRow[], models: readonly ModelInfo[]): string {
  const missing = new Set(models.filter((m) => m.availability === "missing").map((m) => m.definition.id));
  return table([
    ["TIER", "USES NOW", "MODELS (BEST FIRST; THE FIRST INSTALLED ONE IS USED)"],
    ...tiers.map((t) => [t.tier, t.model, t.choices.map((id) => (missing.has(id) ? `${id} (missing)` : id)).join(", ")]),
  ]);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
