import { DomainError } from "./errors.ts";

/**
 * What an API key may do: the one vocabulary of scopes, checked server-side on every REST route and
 * tRPC procedure. People signed in with a platform token hold every scope. Their names and descriptions
 * for people are worded per language by the web app (apps/web/src/i18n).
 */
export const API_KEY_SCOPES = ["removal", "billing", "keys"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A new key's scopes when none are named: enough to remove backgrounds, nothing else. */
export const DEFAULT_API_KEY_SCOPES: readonly ApiKeyScope[] = Object.freeze(["removal"]);

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === "string" && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** Validates scopes from untrusted input; duplicates collapse, order follows API_KEY_SCOPES. */
export function parseScopes(values: readonly unknown[]): ApiKeyScope[] {
  const unknown = values.filter((value) => !isApiKeyScope(value));
  if (unknown.length > 0 || values.length === 0) {
    throw new DomainError(
      "INVALID_OPTIONS",
      `${values.length === 0 ? "Name at least one scope" : `Unknown scope ${unknown.map((v) => JSON.stringify(v)).join(", ")}`}. Choose from: ${API_KEY_SCOPES.join(", ")}.`,
    );
  }
  return API_KEY_SCOPES.filter((scope) => values.includes(scope));
}

/** Refuses a caller whose credential lacks `required` (403 INSUFFICIENT_SCOPE). */
export function assertScope(granted: readonly ApiKeyScope[], required: ApiKeyScope): void {
  if (granted.includes(required)) return;
  throw new DomainError(
    "INSUFFICIENT_SCOPE",
    `This API key lacks the "${required}" scope (it has: ${granted.join(", ") || "none"}). Use a key created with "${required}", or sign in with your account.`,
    { required, granted: [...granted] },
  );
}
