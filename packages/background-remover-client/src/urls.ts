/** Where the server mounts its two APIs, relative to its base URL. */
export const REST_PREFIX = "/api/apps/background-remover";
export const TRPC_PATH = "/api/trpc";

/**
 * The server's base URL without trailing slashes. A path is kept, so a server behind a proxy at
 * `https://lumiku.example/bgr` works; query strings and fragments are refused because every route
 * is appended to it.
 */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Background Remover url must be absolute, e.g. "http://127.0.0.1:3000"; got "${url}".`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`Background Remover url must be http(s); got "${url}".`);
  }
  if (parsed.search || parsed.hash) {
    throw new TypeError(`Background Remover url must be the server's base URL without a query or fragment; got "${url}".`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

/** `base` + `path`, with exactly one slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/**
 * An absolute URL for a link the server returned. The server's links (`processedUrl`, `zipUrl`)
 * are paths from its own root, so they resolve against the base URL — path prefix included —
 * not against its origin alone; absolute http(s) URLs pass through.
 */
export function resolveUrl(base: string, urlOrPath: string): string {
  if (/^https?:\/\//i.test(urlOrPath)) return urlOrPath;
  if (/^[a-z][a-z\d+.-]*:/i.test(urlOrPath))
    throw new TypeError(`Only http(s) links or server paths can be downloaded; got "${urlOrPath}".`);
  if (urlOrPath.startsWith("//"))
    throw new TypeError(`Protocol-relative links are ambiguous; pass an absolute URL or a server path, got "${urlOrPath}".`);
  return joinUrl(base, urlOrPath);
}

/** Whether `url` points into this server (same origin, under the base path): only then may credentials go with it. */
export function isWithinBase(base: string, url: string): boolean {
  const target = new URL(url);
  const root = new URL(base);
  if (target.origin !== root.origin) return false;
  const prefix = root.pathname.replace(/\/+$/, "");
  return prefix === "" || target.pathname === prefix || target.pathname.startsWith(`${prefix}/`);
}
