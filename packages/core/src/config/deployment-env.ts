import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseSettingsSchema } from "@bgr/db";
import { parseSettings } from "@bgr/domain";
import { engineSettingsSchema, parseTierModels, type TierName } from "@bgr/engine";
import { z } from "zod";
import { authSettingsSchema } from "../auth/auth-settings.ts";
import { callbackPolicyOf, callbackSettingsSchema } from "../callbacks/callback-settings.ts";
import type { CallbackPolicy } from "../callbacks/callback-url.ts";
import { queueSettingsSchema } from "../queue/queue-settings.ts";
import { retentionPolicyOf, retentionSettingsSchema } from "../retention/retention-settings.ts";
import type { RetentionPolicy } from "../retention/retention.service.ts";
import { storageConfigOf, storageSettingsSchema, type StorageConfig } from "../storage/storage-settings.ts";
import { quotaSettingsSchema } from "../subscriptions/quota-settings.ts";

export const BGR_MODES = ["production", "development"] as const;
export type BgrMode = (typeof BGR_MODES)[number];

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/**
 * Settings every process of one deployment shares (server, workers, admin CLI): each package's own
 * schema (database, engine, storage, queue, auth, callbacks, quota, retention) and the two of the
 * deployment itself.
 */
export const deploymentEnvSchema = z.object({
  /**
   * `production` (the default) needs DATABASE_URL, JWT_SECRET and FILE_LINK_SECRET. `development`
   * runs without them (the embedded PostgreSQL under DATA_DIR, random secrets kept there) and offers
   * the one-click demo sign-in. Said explicitly, never inferred, so a missing variable cannot turn a
   * production server into a demo.
   */
  BGR_MODE: z.enum(BGR_MODES).default("production"),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, "data")),
  ...databaseSettingsSchema.shape,
  ...authSettingsSchema.shape,
  ...storageSettingsSchema.shape,
  ...engineSettingsSchema.shape,
  ...queueSettingsSchema.shape,
  ...quotaSettingsSchema.shape,
  ...retentionSettingsSchema.shape,
  ...callbackSettingsSchema.shape,
});

export type { StorageConfig };

export interface DataPaths {
  DATA_DIR: string;
  storage: StorageConfig;
  modelCacheDir: string;
  /** Where callbacks may go (server checks at submission, workers again at connect). */
  callbackPolicy: CallbackPolicy;
  tierModels: Partial<Record<TierName, string[]>>;
  retention: RetentionPolicy;
}

/**
 * Validates `source` against an app's schema (which extends deploymentEnvSchema), listing every
 * problem at once, and resolves the data paths.
 */
export function parseDeploymentEnv<S extends typeof deploymentEnvSchema>(schema: S, source: NodeJS.ProcessEnv): z.infer<S> & DataPaths {
  const env = parseSettings<z.infer<S>>(schema, source, "Invalid environment");
  if (env.BGR_MODE === "production") {
    if (!env.DATABASE_URL)
      throw new Error(
        "DATABASE_URL is required in production: set it, or run with BGR_MODE=development (pnpm dev) for the embedded PostgreSQL under DATA_DIR.",
      );
    if (!env.JWT_SECRET) throw new Error("JWT_SECRET is required in production: set the platform's token secret.");
  }
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    ...env,
    DATA_DIR: dataDir,
    storage: storageConfigOf(env, dataDir),
    modelCacheDir: path.resolve(env.MODEL_CACHE_DIR ?? path.join(dataDir, "models")),
    callbackPolicy: callbackPolicyOf(env),
    tierModels: parseTierModels(env.TIER_MODELS),
    retention: retentionPolicyOf(env),
  };
}
