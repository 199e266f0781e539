import path from "node:path";

/**
 * ZIP entry names for the results: `removed-<original name>.<ext>`, with any path components and
 * unsafe characters removed (no zip-slip) and duplicates numbered (`removed-cat-2.png`).
 */
export function zipEntryNames(originalNames: readonly string[], extension = "png"): string[] {
  const used = new Set<string>();
  return originalNames.map((original) => {
    const base = path.posix.basename(original.replaceAll("\\", "/"));
    const stem = base.replace(/\.[^.]*$/, "").replace(/[^\p{L}\p{N}._ -]+/gu, "_").replace(/^[.\s]+/, "").trim() || "image";
    let name = `removed-${stem}.${extension}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `removed-${stem}-${n}.${extension}`;
    used.add(name.toLowerCase());
    return name;
  });
}
