import { isTierName, TIER_NAMES, type TierName } from "@bgr/engine";
import { z } from "zod";
import { DEFAULT_BREAKER_POLICY, type BreakerPolicy } from "../breaker/circuit-breaker.ts";
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from "../http/remote-http.ts";
import { PROVIDER_NAMES, type ProviderName } from "../providers/matte-provider.ts";

export interface RemoteServiceConfig {
  /** Without a key the service is never called. */
  apiKey: string | null;
  baseUrl: string;
  model: string;
}

export interface ProvidersConfig {
  huggingface: RemoteServiceConfig;
  segmind: RemoteServiceConfig;
  /** The remote service that serves each tier; tiers not listed run on the local model. */
  tiers: Partial<Record<TierName, ProviderName>>;
  http: HttpPolicy;
  breaker: BreakerPolicy;
}

/** Where the services live, from their documentation (see the providers' files). */
export const DEFAULT_SERVICE_URLS: Record<ProviderName, string> = {
  huggingface: "https://router.huggingface.co/hf-inference/models",
  segmind: "https://api.segmind.com/v1",
};

export const DEFAULT_MODELS: Record<ProviderName, string> = {
  huggingface: "briaai/RMBG-1.4",
  segmind: "bg-removal-v2",
};

/** The environment variables each service reads. */
export const PROVIDER_ENV = {
  huggingface: { apiKey: "HUGGINGFACE_API_KEY", baseUrl: "HUGGINGFACE_API_URL", model: "HUGGINGFACE_MODEL" },
  segmind: { apiKey: "SEGMIND_API_KEY", baseUrl: "SEGMIND_API_URL", model: "SEGMIND_MODEL" },
} as const satisfies Record<ProviderName, Record<keyof RemoteServiceConfig, string>>;

export const TIERS_ENV = "REMOTE_PROVIDER_TIERS" as const;
const TIERS_EXAMPLE = "professional=huggingface,industry=segmind";

const unsetWhenEmpty = z
  .string()
  .optional()
  .transform((value) => value?.trim() || null);

function baseUrlSetting(provider: ProviderName) {
  const variable = PROVIDER_ENV[provider].baseUrl;
  return unsetWhenEmpty
    .transform((value) => value ?? DEFAULT_SERVICE_URLS[provider])
    .refine(isHttpUrl, (url) => ({
      message: `${variable}="${url}" is not an http(s) URL: write e.g. ${DEFAULT_SERVICE_URLS[provider]}, or leave it unset for that default.`,
    }));
}

function modelSetting(provider: ProviderName) {
  return unsetWhenEmpty.transform((value) => value ?? DEFAULT_MODELS[provider]);
}

/**
 * The remote providers' settings as environment variables: HUGGINGFACE_API_KEY / _API_URL / _MODEL,
 * SEGMIND_API_KEY / _API_URL / _MODEL and REMOTE_PROVIDER_TIERS (`tier=provider` pairs,
 * comma-separated). Empty values count as unset; every problem says what to write instead.
 */
export const providersSettingsSchema = z.object({
  [PROVIDER_ENV.huggingface.apiKey]: unsetWhenEmpty,
  [PROVIDER_ENV.huggingface.baseUrl]: baseUrlSetting("huggingface"),
  [PROVIDER_ENV.huggingface.model]: modelSetting("huggingface"),
  [PROVIDER_ENV.segmind.apiKey]: unsetWhenEmpty,
  [PROVIDER_ENV.segmind.baseUrl]: baseUrlSetting("segmind"),
  [PROVIDER_ENV.segmind.model]: modelSetting("segmind"),
  [TIERS_ENV]: unsetWhenEmpty.transform((text, ctx) =>
    parseTiers(text ?? "", (message) => ctx.addIssue({ code: z.ZodIssueCode.custom, message })),
  ),
});

export type ProvidersSettings = z.infer<typeof providersSettingsSchema>;

/** The parsed settings as the provider router takes them. */
export function providersConfigOf(settings: ProvidersSettings): ProvidersConfig {
  const service = (provider: ProviderName): RemoteServiceConfig => {
    const names = PROVIDER_ENV[provider];
    return { apiKey: settings[names.apiKey], baseUrl: settings[names.baseUrl], model: settings[names.model] };
  };
  return {
    huggingface: service("huggingface"),
    segmind: service("segmind"),
    tiers: settings[TIERS_ENV],
    http: { ...DEFAULT_HTTP_POLICY },
    breaker: { ...DEFAULT_BREAKER_POLICY },
  };
}

/** The `tier=provider` pairs; each malformed pair is reported (with what to write) and skipped. */
function parseTiers(text: string, report: (problem: string) => void): Partial<Record<TierName, ProviderName>> {
  const tiers: Partial<Record<TierName, ProviderName>> = {};
  const hint = `Write tier=provider pairs separated by commas, e.g. ${TIERS_ENV}=${TIERS_EXAMPLE} (tiers: ${TIER_NAMES.join(", ")}; providers: ${PROVIDER_NAMES.join(", ")}).`;
  for (const pair of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [tier, provider, extra] = pair.split("=").map((p) => p.trim());
    if (!tier || !provider || extra !== undefined) {
      report(`${TIERS_ENV}: "${pair}" is not a tier=provider pair. ${hint}`);
    } else if (!isTierName(tier)) {
      report(`${TIERS_ENV}: unknown tier "${tier}". ${hint}`);
    } else if (!isProviderName(provider)) {
      report(`${TIERS_ENV}: unknown provider "${provider}" for tier ${tier}. ${hint}`);
    } else if (tiers[tier]) {
      report(`${TIERS_ENV}: tier ${tier} is given twice (${tiers[tier]} and ${provider}); name each tier once.`);
    } else {
      tiers[tier] = provider;
    }
  }
  return tiers;
}

export function isProviderName(value: unknown): value is ProviderName {
  return typeof value === "string" && (PROVIDER_NAMES as readonly string[]).includes(value);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/** Tiers whose provider has a key: the ones that will really go out. */
export function activeRemoteTiers(config: ProvidersConfig): [TierName, ProviderName][] {
  return (Object.entries(config.tiers) as [TierName, ProviderName][]).filter(([, provider]) => config[provider].apiKey !== null);
}

/** One line for the start-up log: which tier goes where, and which mapping is idle for want of a key. */
export function describeProviders(config: ProvidersConfig): string {
  const mapped = Object.entries(config.tiers) as [TierName, ProviderName][];
  if (mapped.length === 0) return `remote providers: none (every tier runs on the local model; set ${TIERS_ENV} to use one)`;
  const parts = mapped.map(([tier, provider]) =>
    config[provider].apiKey === null
      ? `${tier} -> local (${provider} mapped but ${PROVIDER_ENV[provider].apiKey} is not set)`
      : `${tier} -> ${provider} (${config[provider].model}, local fallback)`,
  );
  const local = TIER_NAMES.filter((t) => !config.tiers[t]);
  if (local.length) parts.push(`${local.join(", ")} -> local`);
  return `remote providers: ${parts.join("; ")}`;
}
