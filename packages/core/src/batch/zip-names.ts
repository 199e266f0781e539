import path from "node:path";
import { FILE_NAME_LIMITS, truncateText } from "@bgr/domain";

const PREFIX = "removed-";
// Room for the longest de-duplicating suffix a batch can need ("-500").
const SUFFIX_ROOM = 4;

/**
 * ZIP entry names for the results: `removed-<original name>.<result's extension>`, with any path
 * components and unsafe characters removed (no zip-slip), the stem cut so the whole name stays within
 * FILE_NAME_LIMITS (so `unzip` can create it), and duplicates numbered (`removed-cat-2.png`).
 */
export function zipEntryNames(results: readonly { originalName: string; extension: string }[]): string[] {
  const used = new Set<string>();
  return results.map(({ originalName: original, extension }) => {
    const fixed = PREFIX.length + SUFFIX_ROOM + 1 + extension.length;
    const stemLimits = { maxChars: FILE_NAME_LIMITS.maxChars - fixed, maxBytes: FILE_NAME_LIMITS.maxBytes - fixed };
    const base = path.posix.basename(original.replaceAll("\\", "/"));
    const cleaned = base
      .replace(/\.[^.]*$/, "")
      .replace(/[^\p{L}\p{N}._ -]+/gu, "_")
      .replace(/^[.\s]+/, "")
      .trim();
    const stem = truncateText(cleaned, stemLimits).trimEnd() || "image";
    let name = `${PREFIX}${stem}.${extension}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${PREFIX}${stem}-${n}.${extension}`;
    used.add(name.toLowerCase());
    return name;
  });
}
