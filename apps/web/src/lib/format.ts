/** Small display helpers shared by the screens; pure so they are unit-tested. */

// Prices come from the one rupiah formatter the server uses too.
export { creditCostLine, formatRupiah } from "@bgr/domain/money";

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function formatCredits(credits: number): string {
  const whole = Number.isInteger(credits) ? credits.toLocaleString("en-US") : credits.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return `${whole} ${credits === 1 ? "credit" : "credits"}`;
}

/** "42 seconds", "3 minutes", "1 hour 5 minutes". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s} ${s === 1 ? "second" : "seconds"}`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `${hours} ${hours === 1 ? "hour" : "hours"}${rest ? ` ${rest} min` : ""}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** "in 5 h 12 min" until a reset time. */
export function formatUntil(iso: string, now: number = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (!Number.isFinite(ms) || ms <= 0) return "now";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `in ${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
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
export function remainingMs(input: { estimatedCompletionAt: string | null; startedAt: string | null; done: number; total: number; now?: number }): number | null {
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
  if (ms === null) return "estimating…";
  if (ms <= 5_000) return "almost done";
  return `about ${formatWait(ms / 1000)}${withLeft ? " left" : ""}`;
}
