import { deploymentEnvSchema, parseDeploymentEnv } from "@bgr/core";
import { IMAGE_URL_PRIVATE_HOSTS_ENV_VAR, readLumikuAppsConfig } from "@bgr/integrations";
import { readProvidersConfig } from "@bgr/providers";
import { DEFAULT_SUBSCRIPTION_GRACE_DAYS } from "@bgr/domain";
import { z } from "zod";

const schema = deploymentEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /** Port of the embedded PostgreSQL (0 = any free one); other processes find it in DATA_DIR. */
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Removals running at once in this process (each in a worker thread). */
  REMOVAL_WORKERS: z.coerce.number().int().min(1).default(1),
  /** Removals waiting for a worker before new ones get 503. */
  REMOVAL_QUEUE_LIMIT: z.coerce.number().int().min(0).default(8),
  SINGLE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Days a subscription keeps access after its renewal payment is missing or failed. */
  SUBSCRIPTION_GRACE_DAYS: z.coerce.number().int().min(0).max(27).default(DEFAULT_SUBSCRIPTION_GRACE_DAYS),
  /** Shared with whoever calls POST /subscription/webhook (HMAC-SHA256 of the body in X-Signature); unset: the webhook is off. */
  PAYMENT_WEBHOOK_SECRET: z.string().min(16).optional(),
  BATCH_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(5),
  /** Process batch items in this process too; default: only in the embedded default. */
  RUN_WORKER: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  /** Batch items processed at once by this process's worker. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(1),
  /** A request's headers and body must arrive within these (a slow client cannot hold a socket); raise the body's for slow uplinks and 2 GB batches. */
  HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(15),
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(120),
  /** One-click demo sign-in (always on in the embedded default); for local use and browser tests only. */
  DEV_SIGN_IN: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
});

export type ServerEnv = ReturnType<typeof readEnv>;

/** The only reader of process.env in the server: fails at start-up with every problem listed. */
export function readEnv(source: NodeJS.ProcessEnv = process.env) {
  return {
    ...parseDeploymentEnv(schema, source),
    lumikuApps: readLumikuAppsConfig(source),
    remoteProviders: readProvidersConfig(source),
    // Host names user-given image URLs may reach although they are private (an intranet asset server); none by default.
    imageUrlPrivateHosts: (source[IMAGE_URL_PRIVATE_HOSTS_ENV_VAR] ?? "").split(",").map((h) => h.trim()).filter(Boolean),
  };
}
