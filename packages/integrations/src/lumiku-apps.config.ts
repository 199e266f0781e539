import { SIBLING_APPS, type SiblingApp } from "@bgr/domain";
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
export const TIMEOUT_ENV_VAR = "LUMIKU_TIMEOUT_SECONDS";
/** JSON answers are small (a project lists a few hundred images at most); anything larger is not our contract. */
export const MAX_JSON_BYTES = 2 * 1024 * 1024;

/** A media host entry: `port` null means the scheme's default port. */
export interface MediaHost {
  hostname: string;
  port: number | null;
}

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

/**
 * Reads LUMIKU_AVATAR_CREATOR_URL, LUMIKU_CAROUSEL_MIX_URL, LUMIKU_POSE_GENERATOR_URL,
 * LUMIKU_IMAGE_UPSCALER_URL, LUMIKU_MEDIA_HOSTS and LUMIKU_TIMEOUT_SECONDS. Empty or unset variables leave that app
 * unconfigured; a value that is not an http(s) URL (or host list) stops start-up with a message
 * saying which variable to fix.
 */
export function readLumikuAppsConfig(env: Record<string, string | undefined>): LumikuAppsConfig {
  const problems: string[] = [];
  const baseUrls: Partial<Record<SiblingApp, string>> = {};
  for (const app of SIBLING_APPS) {
    const { envVar } = SIBLING_APP_INFO[app];
    const value = env[envVar]?.trim();
    if (!value) continue;
    try {
      baseUrls[app] = parseBaseUrl(value, envVar).href;
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const mediaHosts: string[] = [];
  for (const entry of (env[MEDIA_HOSTS_ENV_VAR] ?? "").split(",")) {
    const value = entry.trim();
    if (!value) continue;
    try {
      parseMediaHost(value);
      mediaHosts.push(value);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const timeout = env[TIMEOUT_ENV_VAR]?.trim();
  const timeoutMs = timeout ? Number(timeout) * 1000 : undefined;
  if (timeoutMs !== undefined && !(timeoutMs > 0))
    problems.push(`${TIMEOUT_ENV_VAR} must be a positive number of seconds, not "${timeout}".`);
  if (problems.length > 0) throw new Error(`Invalid Lumiku apps configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return { baseUrls, mediaHosts, ...(timeoutMs ? { timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs } } : {}) };
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
  const problem = `${MEDIA_HOSTS_ENV_VAR} entry "${value}" is not a host[:port] (e.g. cdn.lumiku.com or media.example.org:8443).`;
  if (/[/?#@\s]/.test(value)) throw new Error(problem);
  let url: URL;
  try {
    url = new URL(`http://${value}`);
  } catch {
    throw new Error(problem);
  }
  if (!url.hostname) throw new Error(problem);
  // `new URL` drops a port equal to http's default (80); keep the one written.
  const written = /:(\d+)$/.exec(value)?.[1];
  return { hostname: url.hostname, port: written === undefined ? null : Number(written) };
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
