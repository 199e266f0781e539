import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_QUOTA_TIME_ZONE, isValidTimeZone } from "@bgr/domain";
import { parseTierModels, type TierName } from "@bgr/engine";
import { z } from "zod";
import { parseTrustedHost, type CallbackPolicy } from "../callbacks/callback-url.ts";
import { DEFAULT_RETENTION, type RetentionPolicy } from "../retention/retention.service.ts";

export const BGR_MODES = ["production", "development"] as const;
export type BgrMode = (typeof BGR_MODES)[number];

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** Settings every process of one deployment shares (server, workers, admin CLI): where the data lives and how it is signed. */
export const deploymentEnvSchema = z.object({
  /**
   * `production` (the default) needs DATABASE_URL, JWT_SECRET and FILE_LINK_SECRET. `development`
   * runs without them (the embedded PostgreSQL under DATA_DIR, random secrets kept there) and offers
   * the one-click demo sign-in. Said explicitly, never inferred, so a missing variable cannot turn a
   * production server into a demo.
   */
  BGR_MODE: z.enum(BGR_MODES).default("production"),
  /** Unset (development mode only): the embedded PostgreSQL (PGlite) under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** HS256 secret of the platform's access tokens (callbacks are signed with a key derived from it); required in production. */
  JWT_SECRET: z.string().min(16).optional(),
  /** When set (non-empty), tokens must carry this `iss` / this `aud` (and the admin CLI issues them so). */
  JWT_ISSUER: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  JWT_AUDIENCE: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  /** This deployment's own secret for signed file links (not shared with the platform); required in production. */
  FILE_LINK_SECRET: z.string().min(16).optional(),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, "data")),
  /** Where originals, results and ZIPs live: `local` (STORAGE_DIR) or `s3` (S3_*; several machines share it). */
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  STORAGE_DIR: z.string().optional(),
  S3_BUCKET: z.string().min(3).optional(),
  /** An S3-compatible endpoint (MinIO, R2, …); unset: AWS in S3_REGION. Credentials come from the standard AWS_* variables. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_FORCE_PATH_STYLE: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  /** `true`: downloads redirect to presigned bucket URLs (valid 5 minutes) instead of streaming through the server. */
  S3_PRESIGNED_DOWNLOADS: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
  MODEL_CACHE_DIR: z.string().optional(),
  /**
   * Batch items processed at once by a process's worker (a worker process, or a server running one
   * in-process); default one per two cores, as each item's inference uses two threads.
   */
  WORKER_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .default(Math.max(1, Math.floor(os.availableParallelism() / 2))),
  /** Models each tier may use, best first (`industry=birefnet-portrait+isnet-fp16,…`); unset: the tier table's lists. */
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
  /**
   * The queue's lease: a job whose worker stops renewing it (killed) is retried this long after its
   * last renewal. Running handlers renew every third of it, so it bounds recovery, not item length.
   */
  QUEUE_EXPIRE_SECONDS: z.coerce.number().int().min(3).default(30),
  /**
   * On SIGTERM, how long in-flight requests and running batch items may finish; items still running
   * then are given back to the queue for another worker. Below the orchestrator's kill timeout (30 s).
   */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0).max(600).default(25),
  /** Days each kind of file is kept after its job or batch settled; then retention deletes it and downloads answer 410. */
  RETENTION_ORIGINALS_DAYS: z.coerce.number().min(0).default(DEFAULT_RETENTION.originalsDays),
  RETENTION_RESULTS_DAYS: z.coerce.number().min(0).default(DEFAULT_RETENTION.resultsDays),
  RETENTION_ZIPS_DAYS: z.coerce.number().min(0).default(DEFAULT_RETENTION.zipsDays),
  /** Ports callbacks may use on public hosts, comma-separated. */
  CALLBACK_ALLOWED_PORTS: z
    .string()
    .default("80,443")
    .transform((value) => list(value).map(Number))
    .refine((ports) => ports.length > 0 && ports.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535), {
      message: "a comma-separated list of ports from 1 to 65535, e.g. 80,443",
    }),
  /**
   * `host[:port]` entries callbacks may reach although they are not public (an internal receiver).
   * Empty by default: callbacks go to public addresses only.
   */
  CALLBACK_TRUSTED_HOSTS: z
    .string()
    .default("")
    .transform(list)
    .superRefine((entries, ctx) => {
      for (const entry of entries) {
        try {
          parseTrustedHost(entry);
        } catch (error) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        }
      }
    }),
});

function list(value: string): string[] {
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Where stored files live, as createStorage takes it. */
export type StorageConfig =
  | { driver: "local"; dir: string }
  | { driver: "s3"; bucket: string; endpoint?: string; region: string; forcePathStyle: boolean; presignDownloads: boolean };

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
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  const env = parsed.data as z.infer<S>;
  if (env.BGR_MODE === "production") {
    if (!env.DATABASE_URL)
      throw new Error(
        "DATABASE_URL is required in production: set it, or run with BGR_MODE=development (pnpm dev) for the embedded PostgreSQL under DATA_DIR.",
      );
    if (!env.JWT_SECRET) throw new Error("JWT_SECRET is required in production: set the platform's token secret.");
  }
  if (env.STORAGE_DRIVER === "s3" && !env.S3_BUCKET)
    throw new Error("STORAGE_DRIVER=s3 needs S3_BUCKET (and S3_ENDPOINT for a store other than AWS).");
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    ...env,
    DATA_DIR: dataDir,
    storage:
      env.STORAGE_DRIVER === "s3"
        ? {
            driver: "s3",
            bucket: env.S3_BUCKET!,
            region: env.S3_REGION,
            forcePathStyle: env.S3_FORCE_PATH_STYLE,
            presignDownloads: env.S3_PRESIGNED_DOWNLOADS,
            ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}),
          }
        : { driver: "local", dir: path.resolve(env.STORAGE_DIR ?? path.join(dataDir, "storage")) },
    modelCacheDir: path.resolve(env.MODEL_CACHE_DIR ?? path.join(dataDir, "models")),
    callbackPolicy: { allowedPorts: env.CALLBACK_ALLOWED_PORTS, trustedHosts: env.CALLBACK_TRUSTED_HOSTS },
    tierModels: parseTierModels(env.TIER_MODELS),
    retention: { originalsDays: env.RETENTION_ORIGINALS_DAYS, resultsDays: env.RETENTION_RESULTS_DAYS, zipsDays: env.RETENTION_ZIPS_DAYS },
  };
}
