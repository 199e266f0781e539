import { TIER_NAMES, type ModelInfo, type RemovalEngine } from "@bgr/engine";

const AVAILABILITY_NOTE =
  "ready: assembled in the cache; assemblable: assembled from the installed npm package on first use; missing: cannot be used.";

/** Prints the model table to `stdout`. Always exit code 0: a missing model is information here, not a failure. */
export async function runModels(engine: RemovalEngine, stdout: NodeJS.WritableStream): Promise<number> {
  const models = await engine.models();
  const tiersByModel = (id: string) => TIER_NAMES.filter((tier) => engine.tier(tier).model === id);
  stdout.write(`${formatModelsTable(models, tiersByModel)}\n\n${AVAILABILITY_NOTE}\n`);
  return 0;
}

/** Pure: one row per model, columns padded to their widest cell. */
export function formatModelsTable(models: readonly ModelInfo[], tiersOf: (modelId: string) => readonly string[]): string {
  const rows = [
    ["ID", "DESCRIPTION", "INPUT", "AVAILABILITY", "TIERS"],
    ...models.map(({ definition: d, availability }) => [
      d.id,
      d.description,
      `${d.inputSize}x${d.inputSize}`,
      availability,
      tiersOf(d.id).join(", ") || "-",
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd()).join("\n");
}
