// Node-only helpers, in their own entry point (`@lumiku/background-remover-client/node`) so the
// main entry never imports `node:*` and stays usable in browsers.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { BatchFile } from "./types.ts";

/** A file on disk as `{ name, data }`, ready for `removeBackground(file.data, { fileName: file.name, … })` or `startBatch([...])`. */
export async function fileFromPath(filePath: string, name: string = path.basename(filePath)): Promise<BatchFile & { data: Uint8Array }> {
  return { name, data: await readFile(filePath) };
}

/** Several files, in order (read one after another, so a 500-image batch does not open 500 files at once). */
export async function filesFromPaths(filePaths: readonly string[]): Promise<(BatchFile & { data: Uint8Array })[]> {
  const files: (BatchFile & { data: Uint8Array })[] = [];
  for (const filePath of filePaths) files.push(await fileFromPath(filePath));
  return files;
}
