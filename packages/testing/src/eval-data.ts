import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The evaluation data (photos with ground-truth alpha), read in place from the `shared/` folder beside the
 * repository checkout, or from `BGR_EVAL_DATA_DIR`; never copied into the repository.
 */
const EVAL_DATA_DIR = process.env.BGR_EVAL_DATA_DIR ?? path.resolve(import.meta.dirname, "../../../../shared/evaldata");

/** A path inside the evaluation data, e.g. `evalData("dev")` or `evalData("dev", "gc-teddy.jpg")`. */
export function evalData(...segments: string[]): string {
  if (!existsSync(EVAL_DATA_DIR)) {
    throw new Error(
      `The evaluation data is not at ${EVAL_DATA_DIR}. Put the shared folder (with evaldata/dev) beside the repository checkout, ` +
        "or set BGR_EVAL_DATA_DIR to the evaldata folder.",
    );
  }
  return path.join(EVAL_DATA_DIR, ...segments);
}
