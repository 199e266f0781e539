import { mkdirSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PredictionCache } from "@bgr/engine";

/**
 * Model predictions kept on disk between eval runs, one raw float32 file per model and input, so
 * tuning the post-processing re-scores the dev set in seconds instead of re-running every model.
 * Each `get` returns a fresh array: the pipeline averages and mirrors predictions in place.
 */
export function diskPredictionCache(dir: string): PredictionCache {
  mkdirSync(dir, { recursive: true });
  const file = (key: string) => path.join(dir, `${key}.f32`);
  return {
    async get(key) {
      try {
        const bytes = await readFile(file(key));
        return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
      } catch {
        return null;
      }
    },
    async set(key, prediction) {
      const temporary = `${file(key)}.${process.pid}.tmp`;
      await writeFile(temporary, new Uint8Array(prediction.buffer, prediction.byteOffset, prediction.byteLength));
      await rename(temporary, file(key));
    },
  };
}
