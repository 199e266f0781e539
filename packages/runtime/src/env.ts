import { deploymentEnvSchema, parseDeploymentEnv } from "@bgr/core";
import { DEFAULT_SUBSCRIPTION_GRACE_DAYS } from "@bgr/domain";
import { lumikuAppsConfigOf, lumikuAppsSettingsSchema } from "@bgr/integrations";
import { providersConfigOf, providersSettingsSchema } from "@bgr/providers";
import { z } from "zod";

/**
 * Settings of the infrastructure every process builds (createInfrastructure): the deployment's data
 * and secrets, the sibling apps and remote providers (their packages' schemas), and the payment
 * gateway (servers take payments, workers run subscription upkeep).
 */
export const infrastructureEnvSchema = deploymentEnvSchema.extend({
  ...lumikuAppsSettingsSchema.shape,
  ...providersSettingsSchema.shape,
  /** The least severe JSON log lines the process writes (the queue's and the worker's; the server's request log is Fastify's). */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Days a subscription keeps access after its renewal payment is missing or failed. */
  SUBSCRIPTION_GRACE_DAYS: z.coerce.number().int().min(0).max(27).default(DEFAULT_SUBSCRIPTION_GRACE_DAYS),
  /** Shared with whoever calls POST /subscription/webhook (HMAC-SHA256 of the body in X-Signature); unset: the webhook is off. */
  PAYMENT_WEBHOOK_SECRET: z.string().min(16).optional(),
  /** Who collects money: `manual` (an admin or the signed webhook confirms) or `invoice` (a hosted-invoice gateway, INVOICE_GATEWAY_*). */
  PAYMENT_PROVIDER: z.enum(["manual", "invoice"]).default("manual"),
  INVOICE_GATEWAY_URL: z.string().url().optional(),
  INVOICE_GATEWAY_API_KEY: z.string().min(1).optional(),
  /** The gateway signs its callbacks with this (HMAC-SHA256 of the body in X-Callback-Signature). */
  INVOICE_GATEWAY_CALLBACK_SECRET: z.string().min(16).optional(),
});

export type InfrastructureEnv = ReturnType<typeof parseInfrastructureEnv<typeof infrastructureEnvSchema>>;

/**
 * Validates `source` against an app's schema (which extends infrastructureEnvSchema), failing at
 * start-up with every problem listed, and shapes the sibling apps' and remote providers' settings.
 */
export function parseInfrastructureEnv<S extends typeof infrastructureEnvSchema>(schema: S, source: NodeJS.ProcessEnv) {
  const env = parseDeploymentEnv(schema, source);
  if (
    env.PAYMENT_PROVIDER === "invoice" &&
    (!env.INVOICE_GATEWAY_URL || !env.INVOICE_GATEWAY_API_KEY || !env.INVOICE_GATEWAY_CALLBACK_SECRET)
  ) {
    throw new Error(
      "PAYMENT_PROVIDER=invoice needs INVOICE_GATEWAY_URL, INVOICE_GATEWAY_API_KEY and INVOICE_GATEWAY_CALLBACK_SECRET (16+ characters).",
    );
  }
  return { ...env, lumikuApps: lumikuAppsConfigOf(env), remoteProviders: providersConfigOf(env) };
}
