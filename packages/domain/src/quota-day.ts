/**
 * The subscription quota day: it starts at local midnight in one configured IANA time zone (default
 * Asia/Jakarta), so "50 removals a day" resets when the customer's day does. Pure: `now` is passed in.
 */

export interface QuotaDay {
  /** The local calendar date, 'YYYY-MM-DD': the key daily usage is counted under. */
  date: string;
  /** The next local midnight as an instant (spec 3.2.4 `resetsAt`). */
  resetsAt: Date;
}

/** The platform's customers are in Indonesia: by default the quota day turns at midnight WIB (17:00 UTC). */
export const DEFAULT_QUOTA_TIME_ZONE = "Asia/Jakarta";

// IANA offsets lie within UTC-12..UTC+14; the search window below is a little wider than that.
const HOUR_MS = 3_600_000;
const EARLIEST_OFFSET_MS = -13 * HOUR_MS;
const LATEST_OFFSET_MS = 15 * HOUR_MS;

export function quotaDay(now: Date, timeZone: string = DEFAULT_QUOTA_TIME_ZONE): QuotaDay {
  const instant = now.getTime();
  if (Number.isNaN(instant)) throw new RangeError("quotaDay needs a valid Date");
  const date = localDate(instant, timeZone);
  const nextDate = addOneDay(date);
  return { date, resetsAt: new Date(firstInstantOf(nextDate, timeZone)) };
}

/** For validating configuration at start-up: Intl throws on an unknown zone only when it is used. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The first instant whose local date is `date`. Usually local 00:00, found from the zone's offset in two
 * steps (the offset at the first guess may differ from the offset at midnight). A DST change at midnight
 * (e.g. America/Santiago) skips 00:00 and the day starts at 01:00; when the guess is not the day's first
 * instant, binary-search it, which is valid because local dates never run backwards in time.
 */
function firstInstantOf(date: string, timeZone: string): number {
  const midnightAsUtc = Date.parse(`${date}T00:00:00Z`);
  const guess = midnightAsUtc - offsetAt(midnightAsUtc - offsetAt(midnightAsUtc, timeZone), timeZone);
  if (localDate(guess, timeZone) === date && localDate(guess - 1, timeZone) < date) return guess;

  let before = midnightAsUtc - LATEST_OFFSET_MS; // local date still earlier than `date` here
  let atOrAfter = midnightAsUtc - EARLIEST_OFFSET_MS; // local date already `date` (or later) here
  while (atOrAfter - before > 1) {
    const middle = Math.floor((before + atOrAfter) / 2);
    if (localDate(middle, timeZone) >= date) atOrAfter = middle;
    else before = middle;
  }
  return atOrAfter;
}

function localDate(instant: number, timeZone: string): string {
  const wall = wallClock(instant, timeZone);
  return `${wall.year.padStart(4, "0")}-${wall.month}-${wall.day}`;
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms (whole seconds: zone offsets are). */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const wallAsUtc = Date.UTC(
    Number(wall.year),
    Number(wall.month) - 1,
    Number(wall.day),
    Number(wall.hour),
    Number(wall.minute),
    Number(wall.second),
  );
  return wallAsUtc - Math.floor(instant / 1000) * 1000;
}

function wallClock(instant: number, timeZone: string): Record<"year" | "month" | "day" | "hour" | "minute" | "second", string> {
  const wall = { year: "", month: "", day: "", hour: "", minute: "", second: "" };
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type in wall) wall[part.type as keyof typeof wall] = part.value;
  }
  return wall;
}

function addOneDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

// Building a DateTimeFormat is far costlier than using one, and the zone is one config value.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
