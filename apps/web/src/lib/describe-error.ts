import { ERROR_TABLE, errorRowOf } from "@bgr/domain/error-table";
import { formatWait } from "./format.ts";

/** What the UI needs of a failed call (ApiError has this shape). */
export interface ErrorFacts {
  status: number;
  code: string;
  message: string;
  details: Record<string, unknown> | null;
  retryAfterSeconds: number | null;
}

/**
 * Words a failure for a person: what happened, with the numbers, and what to do next.
 * The server's messages are already written for people, so they are the fallback, and the error
 * table's sentence for the code when a message is missing.
 */
export function describeError(error: ErrorFacts): string {
  const { status, code, details } = error;
  if (code === "ABORTED") return "Upload cancelled.";
  if (status === 0) return "Could not reach the server. Check your connection and try again.";
  if (status === 402 || code === "INSUFFICIENT_CREDITS") {
    const required = numberOf(details?.required);
    const available = numberOf(details?.available);
    if (required !== null && available !== null) {
      return `Not enough credits: this needs ${required}, you have ${available}. Top up your credits or pick a cheaper tier.`;
    }
    return ERROR_TABLE.INSUFFICIENT_CREDITS.message;
  }
  if (status === 429 || code === "RATE_LIMITED") {
    const wait = error.retryAfterSeconds;
    return wait ? `Too many removals in a short time: wait ${formatWait(wait)} and try again.` : "Too many removals in a short time: wait a minute and try again.";
  }
  if (status === 503 || code === "BUSY") {
    const wait = error.retryAfterSeconds;
    return wait ? `The server is busy with other images: try again in ${formatWait(wait)}.` : "The server is busy with other images: try again in a moment.";
  }
  if (status === 401) return "Your sign-in was not accepted or has expired. Sign in again with a valid token or API key.";
  if (status === 403 && code === "TIER_NOT_ALLOWED") return `${error.message} Pick another tier or pay with credits.`;
  if (status === 413 || code === "FILE_TOO_LARGE") return error.message || "The file is too large: the limit is 10 MB per image.";
  if (status >= 500) return "Something went wrong on our side. Try again; if it keeps happening, contact support.";
  return error.message || errorRowOf(code)?.message || `The server answered ${status}.`;
}

/** Per-file reasons from a 400 on a batch upload (`details.files: [{ name, reason }]`). */
export function fileReasons(details: Record<string, unknown> | null): Map<string, string> {
  const reasons = new Map<string, string>();
  const files = details?.files;
  if (Array.isArray(files)) {
    for (const entry of files) {
      if (entry && typeof entry.name === "string" && typeof entry.reason === "string") reasons.set(entry.name, entry.reason);
    }
  }
  return reasons;
}

function numberOf(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
