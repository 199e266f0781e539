import { fileURLToPath } from "node:url";
import { parseSettings } from "@bgr/domain";
import { engineSettingsSchema } from "@bgr/engine";
import { z } from "zod";

/** `<repo root>/data/models`, found from this file's location (apps/cli/src/env.ts): where the server keeps them too. */
export const DEFAULT_MODEL_CACHE_DIR = fileURLToPath(new URL("../../../data/models", import.meta.url));

const schema = z.object({
  ...engineSettingsSchema.pick({ MODEL_CACHE_DIR: true }).shape,
  /** `pnpm bgr` runs us from apps/cli; pnpm records where the user actually was in INIT_CWD. */
  INIT_CWD: z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined),
});

/** Everything the CLI takes from its environment; no other module reads `process.env`. */
export interface CliEnv {
  /** Directory the user ran the command from; relative paths they pass are resolved against it. */
  invocationDir: string;
  /** Model cache directory from `MODEL_CACHE_DIR`, or the repository's `data/models`. */
  modelCacheDir: string;
}

export function readEnv(source: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): CliEnv {
  const env = parseSettings(schema, source, "Invalid environment");
  return { invocationDir: env.INIT_CWD ?? cwd, modelCacheDir: env.MODEL_CACHE_DIR ?? DEFAULT_MODEL_CACHE_DIR };
}
