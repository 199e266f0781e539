import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const schema = z.object({
  /** Unset: join the embedded PostgreSQL that a server on this machine serves from DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(16).optional(),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, "data")),
  STORAGE_DIR: z.string().optional(),
  MODEL_CACHE_DIR: z.string().optional(),
  /** Batch items at once in this process; default: one per two cores (each uses two inference threads). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(Math.max(1, Math.floor(os.availableParallelism() / 2))),
  QUEUE_EXPIRE_SECONDS: z.coerce.number().int().min(5).default(900),
  /** Names this process in job rows (which machine did the work). */
  WORKER_ID: z.string().default(`${os.hostname()}:${process.pid}`),
});

export type WorkerEnv = z.infer<typeof schema> & { storageDir: string; modelCacheDir: string };

/** The only reader of process.env in the worker. */
export function readWorkerEnv(source: NodeJS.ProcessEnv = process.env): WorkerEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  const env = parsed.data;
  if (env.DATABASE_URL && !env.JWT_SECRET) throw new Error("JWT_SECRET is required with DATABASE_URL: workers sign links and callbacks with it.");
  const dataDir = path.resolve(env.DATA_DIR);
  return {
    ...env,
    DATA_DIR: dataDir,
    storageDir: path.resolve(env.STORAGE_DIR ?? path.join(dataDir, "storage")),
    modelCacheDir: path.resolve(env.MODEL_CACHE_DIR ?? path.join(dataDir, "models")),
  };
}
