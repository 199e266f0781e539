/** Small display helpers shared by the screens, in the active language; pure so they are unit-tested. */
import { creditCostRange } from "@bgr/domain/money";
import { i18n, locale } from "../i18n/i18n.ts";

// Prices come from the one rupiah formatter the server uses too ("Rp 99.000" in every language).
export { formatRupiah } from "@bgr/domain/money";

/** A number in the active locale: "3,200" in English, "3.200" in Indonesian. */
export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return value.toLocaleString(locale(), options);
}

/** Fixed decimals in the active locale: "12.5" / "12,5". */
export function formatDecimal(value: number, digits: number): string {
  return formatNumber(value, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatDecimal(bytes / 1024, bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${formatDecimal(bytes / 1024 / 1024, 1)} MB`;
}

export function formatCredits(credits: number): string {
  return i18n.t("units.credits", { count: credits, amount: formatNumber(credits, { maximumFractionDigits: 2 }) });
}

/** Seconds as "3.4 s" / "3,4 dtk". */
export function formatSeconds(ms: number): string {
  return i18n.t("units.duration", { value: formatDecimal(ms / 1000, 1) });
}

/** "42%" style percentages as each language writes them ("42 %" in English, as the screens always did). */
export function formatPercent(value: number): string {
  return i18n.t("units.percent", { value: formatNumber(value) });
}

/** "42 seconds", "3 minutes", "1 hour 5 min". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return i18n.t("units.seconds", { count: s });
  const minutes = Math.round(s / 60);
  if (minutes < 60) return i18n.t("units.minutes", { count: minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? i18n.t("units.hoursMinutes", { count: hours, minutes: rest }) : i18n.t("units.hours", { count: hours });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : date.toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });
}

/** "in 5 h 12 min" until a reset time. */
export function formatUntil(iso: string, now: number = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms) || ms <= 0) return i18n.t("units.now");
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return i18n.t("units.inMinutes", { minutes });
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? i18n.t("units.inHoursMinutes", { hours, minutes: minutes % 60 }) : i18n.t("units.inHours", { hours });
}

/**
 * The "what a credit costs" line shown where credits are spent: "8 credits ≈ Rp 2.800–4.000 (Rp 350–500
 * a credit, by pack size)". Without an amount, just the per-credit range.
 */
export function creditCostLine(credits?: number): string {
  const { perCredit, total } = creditCostRange(credits);
  if (credits === undefined || total === null) return i18n.t("units.creditCost", { range: perCredit });
  return i18n.t("units.creditCostOf", { credits: formatCredits(credits), total, range: perCredit });
}

export function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** "photo.jpg" → "photo-no-bg.png". */
export function resultFileName(original: string, extension: string): string {
  const base = original.replace(/\.[^.]+$/, "") || "image";
  return `${base}-no-bg.${extension}`;
}

/**
 * Milliseconds left in a batch: the server's estimate when it has one, else the pace so far
 * (elapsed per finished item × items left). Null before anything finished.
 */
export function remainingMs(input: {
  estimatedCompletionAt: string | null;
  startedAt: string | null;
  done: number;
  total: number;
  now?: number;
}): number | null {
  const now = input.now ?? Date.now();
  const left = input.total - input.done;
  if (left <= 0) return 0;
  if (input.startedAt && input.done > 0) {
    const elapsed = now - Date.parse(input.startedAt);
    if (Number.isFinite(elapsed) && elapsed > 0) return (elapsed / input.done) * left;
  }
  if (input.estimatedCompletionAt) {
    const ms = Date.parse(input.estimatedCompletionAt) - now;
    if (Number.isFinite(ms)) return Math.max(0, ms);
  }
  return null;
}

export function formatRemaining(ms: number | null, withLeft = true): string {
  if (ms === null) return i18n.t("units.estimating");
  if (ms <= 5_000) return i18n.t("units.almostDone");
  const wait = formatWait(ms / 1000);
  return withLeft ? i18n.t("units.aboutLeft", { wait }) : i18n.t("units.about", { wait });
}
