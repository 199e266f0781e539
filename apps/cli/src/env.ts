import { fileURLToPath } from "node:url";

/** Everything the CLI takes from its environment; no other module reads `process.env`. */
export interface CliEnv {
  /** Directory the user ran the command from; relative paths they pass are resolved against it. */
  invocationDir: string;
  /** Model cache directory from `MODEL_CACHE_DIR`, or the repository's `data/models`. */
  modelCacheDir: string;
}

/** `<repo root>/data/models`, found from this file's location (apps/cli/src/env.ts). */
export const DEFAULT_MODEL_CACHE_DIR = fileURLToPath(new URL("../../../data/models", import.meta.url));

export function readEnv(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): CliEnv {
  return {
    // `pnpm bgr` runs us from apps/cli; pnpm records where the user actually was in INIT_CWD.
    invocationDir: nonEmpty(env.INIT_CWD) ?? cwd,
    modelCacheDir: nonEmpty(env.MODEL_CACHE_DIR) ?? DEFAULT_MODEL_CACHE_DIR,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== "" ? value : undefined;
}
