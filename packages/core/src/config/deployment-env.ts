import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_QUOTA_TIME_ZONE, isValidTimeZone } from "@bgr/domain";
import { parseTierModels, type TierName } from "@bgr/engine";
import { z } from "zod";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** Settings every process of one deployment shares (server, workers, admin CLI): where the data lives and how it is signed. */
export const deploymentEnvSchema = z.object({
  /** Unset: the embedded PostgreSQL (PGlite) under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** HS256 secret of the platform's access tokens (links and callbacks are signed with keys derived from it); required with DATABASE_URL. */
  JWT_SECRET: z.string().min(16).optional(),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, "data")),
  STORAGE_DIR: z.string().optional(),
  MODEL_CACHE_DIR: z.string().optional(),
  /** Models each tier may use, best first (`industry=birefnet-portrait+isnet-fp32,…`); unset: the tier table's lists. */
  TIER_MODELS: z
    .string()
    .default("")
    .superRefine((text, ctx) => {
      try {
        parseTierModels(text);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      }
    }),
  /** IANA zone whose midnight starts the subscription quota day (and `resetsAt`); workers refund quota into it. */
  QUOTA_TIMEZONE: z
    .string()
    .default(DEFAULT_QUOTA_TIME_ZONE)
    .refine(isValidTimeZone, (zone) => ({ message: `unknown time zone "${zone}"; use an IANA name such as UTC or Asia/Jakarta` })),
});

export interface DataPaths {
  DATA_DIR: string;
  storageDir: string;
  modelCacheDir: string;
  tierModels: Partial<Record<TierName, string[]>>;
}

/**
 * Validates `source` against an app's schema (which extends deploymentEnvSchema), listing every
 * problem at once, and resolves the data paths.
 */
export function parseDeploymentEnv<S extends typeof deploymentEnvSchema>(schema: S, source: NodeJS.ProcessEnv): z.infer<S> & DataPaths {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  const env = parsed.data as z.infer<S>;
  if (env.DATABASE_URL && !env.JWT_SECRET) throw new Error("JWT_SECRET is required with DATABASE_URL: set the platform's token secret.");
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    ...env,
    DATA_DIR: dataDir,
    storageDir: path.resolve(env.STORAGE_DIR ?? path.join(dataDir, "storage")),
    modelCacheDir: path.resolve(env.MODEL_CACHE_DIR ?? path.join(dataDir, "models")),
    tierModels: parseTierModels(env.TIER_MODELS),
  };
}
