import { isTierName, TIER_NAMES, type TierName } from "@bgr/engine";
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
export const PROVIDER_ENV: Record<ProviderName, { apiKey: string; baseUrl: string; model: string }> = {
  huggingface: { apiKey: "HUGGINGFACE_API_KEY", baseUrl: "HUGGINGFACE_API_URL", model: "HUGGINGFACE_MODEL" },
  segmind: { apiKey: "SEGMIND_API_KEY", baseUrl: "SEGMIND_API_URL", model: "SEGMIND_MODEL" },
};

export const TIERS_ENV = "REMOTE_PROVIDER_TIERS";
const TIERS_EXAMPLE = "professional=huggingface,industry=segmind";

/**
 * Reads the remote providers' settings from an environment (the app's env.ts passes process.env):
 * HUGGINGFACE_API_KEY / _API_URL / _MODEL, SEGMIND_API_KEY / _API_URL / _MODEL and
 * REMOTE_PROVIDER_TIERS (`tier=provider` pairs, comma-separated). Empty values count as unset.
 * Throws one Error listing every problem and what to write instead, so start-up fails loudly.
 */
export function readProvidersConfig(env: Record<string, string | undefined>): ProvidersConfig {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : null;
  };
  const service = (provider: ProviderName): RemoteServiceConfig => {
    const names = PROVIDER_ENV[provider];
    const baseUrl = value(names.baseUrl) ?? DEFAULT_SERVICE_URLS[provider];
    if (!isHttpUrl(baseUrl)) {
      problems.push(
        `${names.baseUrl}="${baseUrl}" is not an http(s) URL: write e.g. ${DEFAULT_SERVICE_URLS[provider]}, or leave it unset for that default.`,
      );
    }
    return { apiKey: value(names.apiKey), baseUrl, model: value(names.model) ?? DEFAULT_MODELS[provider] };
  };
  const config: ProvidersConfig = {
    huggingface: service("huggingface"),
    segmind: service("segmind"),
    tiers: parseTiers(value(TIERS_ENV) ?? "", problems),
    http: { ...DEFAULT_HTTP_POLICY },
    breaker: { ...DEFAULT_BREAKER_POLICY },
  };
  if (problems.length) throw new Error(`Remote provider settings are invalid:\n- ${problems.join("\n- ")}`);
  return config;
}

function parseTiers(text: string, problems: string[]): Partial<Record<TierName, ProviderName>> {
  const tiers: Partial<Record<TierName, ProviderName>> = {};
  const hint = `Write tier=provider pairs separated by commas, e.g. ${TIERS_ENV}=${TIERS_EXAMPLE} (tiers: ${TIER_NAMES.join(", ")}; providers: ${PROVIDER_NAMES.join(", ")}).`;
  for (const pair of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [tier, provider, extra] = pair.split("=").map((p) => p.trim());
    if (!tier || !provider || extra !== undefined) {
      problems.push(`${TIERS_ENV}: "${pair}" is not a tier=provider pair. ${hint}`);
    } else if (!isTierName(tier)) {
      problems.push(`${TIERS_ENV}: unknown tier "${tier}". ${hint}`);
    } else if (!isProviderName(provider)) {
      problems.push(`${TIERS_ENV}: unknown provider "${provider}" for tier ${tier}. ${hint}`);
    } else if (tiers[tier]) {
      problems.push(`${TIERS_ENV}: tier ${tier} is given twice (${tiers[tier]} and ${provider}); name each tier once.`);
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
