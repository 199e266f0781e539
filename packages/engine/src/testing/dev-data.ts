import path from "node:path";

/**
 * The dev evaluation set (photos with ground-truth alpha), read in place from the `shared/` folder
 * beside the repository checkout; never copied into the repository.
 */
export const DEV_DATA_DIR = path.resolve(import.meta.dirname, "../../../../../shared/evaldata/dev");

/** A file of the dev set, e.g. `devData("gc-teddy.jpg")`. */
export function devData(file: string): string {
  return path.join(DEV_DATA_DIR, file);
}
