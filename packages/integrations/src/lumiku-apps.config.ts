import { checkedSettingsList, parseHostPort, SIBLING_APPS, type HostPort, type SiblingApp } from "@bgr/domain";
import { z } from "zod";
import { MEDIA_HOSTS_ENV_VAR, SIBLING_APP_INFO } from "./sibling-apps.ts";

export interface LumikuAppsConfig {
  /** Each app's API base, e.g. `http://avatar-creator:3000/api/apps/avatar-creator`. Unset: that app answers "not-configured". */
  baseUrls: Partial<Record<SiblingApp, string>>;
  /** `host[:port]` entries images may also come from (a CDN). They must resolve to public addresses. */
  mediaHosts?: string[];
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /** `attempts` counts the first try too. */
  retries?: { attempts?: number; baseDelayMs?: number };
  /** Per image. Default 10 MB. */
  maxImageBytes?: number;
}

export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Seconds a sibling app may take to start answering, and between body chunks (default 60 and 30). */
export const TIMEOUT_ENV_VAR = "LUMIKU_TIMEOUT_SECONDS" as const;
/** JSON answers are small (a project lists a few hundred images at most); anything larger is not our contract. */
export const MAX_JSON_BYTES = 2 * 1024 * 1024;

/** A media host entry: `port` null means the scheme's default port. */
export type MediaHost = HostPort;

export interface ResolvedConfig {
  baseUrls: Partial<Record<SiblingApp, URL>>;
  mediaHosts: MediaHost[];
  connectMs: number;
  headersMs: number;
  bodyMs: number;
  attempts: number;
  baseDelayMs: number;
  maxImageBytes: number;
}

const unsetWhenEmpty = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

/** A sibling app's API base: unset or empty leaves that app unconfigured; anything else must be a usable http(s) base. */
function baseUrlSetting(envVar: string) {
  return unsetWhenEmpty.transform((value, ctx) => {
    if (!value) return undefined;
    try {
      return parseBaseUrl(value, envVar).href;
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      return z.NEVER;
    }
  });
}

type SiblingUrlVariable = (typeof SIBLING_APP_INFO)[SiblingApp]["envVar"];

const siblingUrlSettings = Object.fromEntries(
  SIBLING_APPS.map((app) => [SIBLING_APP_INFO[app].envVar, baseUrlSetting(SIBLING_APP_INFO[app].envVar)]),
) as Record<SiblingUrlVariable, ReturnType<typeof baseUrlSetting>>;

/**
 * The sibling apps' settings as environment variables: LUMIKU_AVATAR_CREATOR_URL, LUMIKU_CAROUSEL_MIX_URL,
 * LUMIKU_POSE_GENERATOR_URL, LUMIKU_IMAGE_UPSCALER_URL, LUMIKU_MEDIA_HOSTS and LUMIKU_TIMEOUT_SECONDS.
 * A value that is not an http(s) URL (or host list) stops start-up with a message saying what to fix.
 */
export const lumikuAppsSettingsSchema = z.object({
  ...siblingUrlSettings,
  [MEDIA_HOSTS_ENV_VAR]: z.string().default("").transform(checkedSettingsList(parseMediaHost)),
  [TIMEOUT_ENV_VAR]: unsetWhenEmpty.refine(
    (text) => text === undefined || Number(text) > 0,
    (text) => ({
      message: `${TIMEOUT_ENV_VAR} must be a positive number of seconds, not "${text}".`,
    }),
  ),
});

export type LumikuAppsSettings = z.infer<typeof lumikuAppsSettingsSchema>;

/** The parsed settings as LumikuApps takes them. */
export function lumikuAppsConfigOf(settings: LumikuAppsSettings): LumikuAppsConfig {
  const baseUrls: Partial<Record<SiblingApp, string>> = {};
  for (const app of SIBLING_APPS) {
    const url = settings[SIBLING_APP_INFO[app].envVar];
    if (url) baseUrls[app] = url;
  }
  const timeout = settings[TIMEOUT_ENV_VAR];
  const timeoutMs = timeout === undefined ? undefined : Number(timeout) * 1000;
  return {
    baseUrls,
    mediaHosts: settings[MEDIA_HOSTS_ENV_VAR],
    ...(timeoutMs ? { timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs } } : {}),
  };
}

export function resolveConfig(config: LumikuAppsConfig): ResolvedConfig {
  const baseUrls: Partial<Record<SiblingApp, URL>> = {};
  for (const app of SIBLING_APPS) {
    const value = config.baseUrls[app];
    if (value) baseUrls[app] = parseBaseUrl(value, `baseUrls["${app}"]`);
  }
  return {
    baseUrls,
    mediaHosts: (config.mediaHosts ?? []).map(parseMediaHost),
    connectMs: positive(config.timeouts?.connectMs, 5_000, "timeouts.connectMs"),
    // An upscale is computed before the answer's headers come: leave it time.
    headersMs: positive(config.timeouts?.headersMs, 60_000, "timeouts.headersMs"),
    bodyMs: positive(config.timeouts?.bodyMs, 30_000, "timeouts.bodyMs"),
    attempts: positive(config.retries?.attempts, 3, "retries.attempts"),
    baseDelayMs: nonNegative(config.retries?.baseDelayMs, 250, "retries.baseDelayMs"),
    maxImageBytes: positive(config.maxImageBytes, DEFAULT_MAX_IMAGE_BYTES, "maxImageBytes"),
  };
}

/** The base URL without a trailing slash, so `${base}/projects/…` and relative image paths both resolve under it. */
function parseBaseUrl(value: string, setting: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `${setting} is not a valid URL: "${value}". Use the app's API base, e.g. http://avatar-creator:3000/api/apps/avatar-creator.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`${setting} must be an http:// or https:// URL, not "${value}".`);
  if (url.username || url.password) throw new Error(`${setting} must not contain credentials: the user's own token is forwarded instead.`);
  if (url.search || url.hash) throw new Error(`${setting} must not have a query string or fragment: "${value}".`);
  url.pathname = url.pathname.replace(/\/+$/, "");
  return url;
}

/** `host[:port]`, e.g. `cdn.lumiku.com` or `media.example.org:8443`. */
export function parseMediaHost(value: string): MediaHost {
  return parseHostPort(value, MEDIA_HOSTS_ENV_VAR, "cdn.lumiku.com or media.example.org:8443");
}

function positive(value: number | undefined, fallback: number, setting: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${setting} must be a positive number, not ${value}.`);
  return value;
}

function nonNegative(value: number | undefined, fallback: number, setting: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`${setting} must be zero or more, not ${value}.`);
  return value;
}
