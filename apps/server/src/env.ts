import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_QUOTA_TIME_ZONE, DEFAULT_SUBSCRIPTION_GRACE_DAYS, isValidTimeZone } from "@bgr/domain";
import { z } from "zod";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /** Unset: an embedded PostgreSQL (PGlite) under DATA_DIR, and the worker in-process. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, "data")),
  /** Port of the embedded PostgreSQL (0 = any free one); other processes find it in DATA_DIR. */
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  STORAGE_DIR: z.string().optional(),
  MODEL_CACHE_DIR: z.string().optional(),
  /** HS256 secret of the platform's access tokens; required with DATABASE_URL. */
  JWT_SECRET: z.string().min(16).optional(),
  /** Removals running at once in this process (each in a worker thread). */
  REMOVAL_WORKERS: z.coerce.number().int().min(1).default(1),
  /** Removals waiting for a worker before new ones get 503. */
  REMOVAL_QUEUE_LIMIT: z.coerce.number().int().min(0).default(8),
  SINGLE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** IANA zone whose midnight starts the subscription quota day (and `resetsAt`). */
  QUOTA_TIMEZONE: z
    .string()
    .default(DEFAULT_QUOTA_TIME_ZONE)
    .refine(isValidTimeZone, (zone) => ({ message: `unknown time zone "${zone}"; use an IANA name such as UTC or Asia/Jakarta` })),
  /** Days a subscription keeps access after its renewal payment is missing or failed. */
  SUBSCRIPTION_GRACE_DAYS: z.coerce.number().int().min(0).max(27).default(DEFAULT_SUBSCRIPTION_GRACE_DAYS),
  /** Shared with whoever calls POST /subscription/webhook (HMAC-SHA256 of the body in X-Signature); unset: the webhook is off. */
  PAYMENT_WEBHOOK_SECRET: z.string().min(16).optional(),
  BATCH_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(5),
  /** Process batch items in this process too; default: only in the embedded default. */
  RUN_WORKER: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  /** Batch items processed at once by this process's worker. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(1),
  /** A queue job held longer than this (its worker died) is retried. */
  QUEUE_EXPIRE_SECONDS: z.coerce.number().int().min(5).default(900),
  /** One-click demo sign-in (always on in the embedded default); for local use and browser tests only. */
  DEV_SIGN_IN: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
});

export type ServerEnv = z.infer<typeof schema> & { storageDir: string; modelCacheDir: string };

/** The only reader of process.env in the server: fails at start-up with every problem listed. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  if (env.DATABASE_URL && !env.JWT_SECRET) throw new Error("JWT_SECRET is required with DATABASE_URL: set the platform's token secret.");
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    ...env,
    DATA_DIR: dataDir,
    storageDir: path.resolve(env.STORAGE_DIR ?? path.join(dataDir, "storage")),
    modelCacheDir: path.resolve(env.MODEL_CACHE_DIR ?? path.join(dataDir, "models")),
  };
}
