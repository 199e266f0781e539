import { DomainError } from "@bgr/domain";

/** Checks a caller's callback URL before any work is accepted, so a typo is a 400, not a lost notification. */
export function parseCallbackUrl(value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DomainError("INVALID_OPTIONS", `callbackUrl "${value}" is not a URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new DomainError("INVALID_OPTIONS", "callbackUrl must be an http(s) URL.");
  return url.toString();
}
