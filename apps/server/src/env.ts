import { SIGNUP_MODES } from "@bgr/core";
import { imageUrlSettingsSchema } from "@bgr/integrations";
import { infrastructureEnvSchema, parseInfrastructureEnv } from "@bgr/runtime";
import { z } from "zod";

// The payment gateway and the deployment-wide settings come from infrastructureEnvSchema.
const schema = infrastructureEnvSchema.extend({
  /** Host names user-given image URLs may reach although they are private (an intranet asset server). */
  ...imageUrlSettingsSchema.shape,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /** Port of the embedded PostgreSQL (0 = any free one); other processes find it in DATA_DIR. */
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Removals running at once in this process (each in a worker thread). */
  REMOVAL_WORKERS: z.coerce.number().int().min(1).default(1),
  /** Removals waiting for a worker before new ones get 503. */
  REMOVAL_QUEUE_LIMIT: z.coerce.number().int().min(0).default(8),
  SINGLE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** A credit-pack payment not paid within this many hours expires. */
  PAYMENT_PENDING_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 14)
    .default(24),
  /** Standalone email + password accounts: `open` to anyone, `invite` (emails an admin invited), `off` (platform sign-in only). */
  SIGNUP_MODE: z.enum(SIGNUP_MODES).default("open"),
  /** The web app's public address, for links in mails; default http://HOST:PORT. */
  APP_URL: z.string().url().optional(),
  /** The session cookie's Secure flag: `auto` sets it on https requests (behind a TLS proxy, set `true`). */
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  /** Unset: mail goes to the dev outbox (kept in memory and logged). */
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  /** The sender; default SMTP_USER. */
  SMTP_FROM: z.string().optional(),
  BATCH_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(5),
  /** Process batch items in this process too; default: only in the embedded default. */
  RUN_WORKER: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  /** A request's headers and body must arrive within these (a slow client cannot hold a socket); raise the body's for slow uplinks and 2 GB batches. */
  HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(15),
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(120),
  /** Bearer token a Prometheus scraper sends to GET /metrics; unset: /metrics answers 404. */
  METRICS_TOKEN: z.string().min(16).optional(),
});

export type ServerEnv = ReturnType<typeof readEnv>;

/** The only reader of process.env in the server: fails at start-up with every problem listed. */
export function readEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseInfrastructureEnv(schema, source);
}
