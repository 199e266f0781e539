import { errorRowOf } from "@bgr/domain/error-table";
import type { ErrorCode } from "../i18n/en.ts";
import { currentLanguage, i18n } from "../i18n/i18n.ts";
import { formatNumber, formatWait } from "./format.ts";

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
 * The server's messages are written for people, in English: an English page shows them; another
 * language shows its own sentence for the error's code, so no English leaks into it.
 */
export function describeError(error: ErrorFacts): string {
  const { status, code, details } = error;
  if (code === "ABORTED") return i18n.t("errors.aborted");
  if (status === 0) return i18n.t("errors.network");
  if (status === 402 || code === "INSUFFICIENT_CREDITS") {
    const required = numberOf(details?.required);
    const available = numberOf(details?.available);
    if (required !== null && available !== null) {
      return i18n.t("errors.creditsShort", { required: formatNumber(required), available: formatNumber(available) });
    }
    return i18n.t("errors.creditsShortPlain");
  }
  if (status === 429 || code === "RATE_LIMITED") {
    const wait = error.retryAfterSeconds;
    return wait ? i18n.t("errors.rateLimitedWait", { wait: formatWait(wait) }) : i18n.t("errors.rateLimited");
  }
  if (status === 503 || code === "BUSY") {
    const wait = error.retryAfterSeconds;
    return wait ? i18n.t("errors.busyWait", { wait: formatWait(wait) }) : i18n.t("errors.busy");
  }
  if (status === 401) return i18n.t("errors.unauthorised");
  if (status === 403 && code === "TIER_NOT_ALLOWED")
    return serverSpeaksOurLanguage() ? i18n.t("errors.tierNotAllowed", { message: error.message }) : sentenceFor(code);
  if (status === 413 || code === "FILE_TOO_LARGE") return (serverSpeaksOurLanguage() && error.message) || i18n.t("errors.tooLarge");
  if (status >= 500) return i18n.t("errors.server");
  if (serverSpeaksOurLanguage() && error.message) return error.message;
  return sentenceFor(code);
}

/** The server writes its messages in English. */
function serverSpeaksOurLanguage(): boolean {
  return currentLanguage() === "en";
}

/** This language's sentence for a domain error code (the table's), or a general one for any other code. */
function sentenceFor(code: string): string {
  return errorRowOf(code) ? i18n.t(`errorCodes.${code as ErrorCode}`) : i18n.t("errors.unknown");
}

/** Per-file reasons from a 400 on a batch upload (`details.files: [{ name, reason }]`), in English only on an English page. */
export function fileReasons(details: Record<string, unknown> | null): Map<string, string> {
  const reasons = new Map<string, string>();
  const files = details?.files;
  if (Array.isArray(files)) {
    for (const entry of files) {
      if (entry && typeof entry.name === "string" && typeof entry.reason === "string")
        reasons.set(entry.name, serverSpeaksOurLanguage() ? entry.reason : i18n.t("errors.fileRefused"));
    }
  }
  return reasons;
}

function numberOf(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
