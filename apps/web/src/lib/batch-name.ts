import { i18n } from "../i18n/i18n.ts";

/** What a batch is called in lists and headings: its owner's name, else its first file and how many more (none: the file alone). */
export function batchName(batch: { batchId: string; name: string | null; firstFileName: string | null; totalImages: number }): string {
  if (batch.name) return batch.name;
  if (!batch.firstFileName) return batch.batchId;
  const more = batch.totalImages - 1;
  return more > 0 ? i18n.t("batch.namedAfter", { file: batch.firstFileName, count: more }) : batch.firstFileName;
}
