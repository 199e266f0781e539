import { describe, expect, it } from "vitest";
import { isValidTimeZone, quotaDay } from "../src/quota-day.ts";

const at = (iso: string) => new Date(iso);

describe("quotaDay", () => {
  it("defaults to the platform's zone, Asia/Jakarta (UTC+7): the day turns at 17:00 UTC", () => {
    expect(quotaDay(at("2025-01-15T10:00:00Z"))).toEqual({ date: "2025-01-15", resetsAt: at("2025-01-15T17:00:00Z") });
    expect(quotaDay(at("2025-01-15T18:00:00Z"))).toEqual({ date: "2025-01-16", resetsAt: at("2025-01-16T17:00:00Z") });
  });

  it.each([
    // now, zone, date, resetsAt
    ["2025-01-15T23:59:59.999Z", "UTC", "2025-01-15", "2025-01-16T00:00:00Z"],
    ["2025-01-16T00:00:00.000Z", "UTC", "2025-01-16", "2025-01-17T00:00:00Z"],
    ["2024-12-31T23:59:59.999Z", "UTC", "2024-12-31", "2025-01-01T00:00:00Z"], // year end
    ["2024-02-28T12:00:00Z", "UTC", "2024-02-28", "2024-02-29T00:00:00Z"], // leap day next
    // Asia/Jakarta is UTC+7 all year: local midnight is 17:00Z the evening before.
    ["2025-01-15T16:59:59.999Z", "Asia/Jakarta", "2025-01-15", "2025-01-15T17:00:00Z"],
    ["2025-01-15T17:00:00.000Z", "Asia/Jakarta", "2025-01-16", "2025-01-16T17:00:00Z"],
    ["2025-01-15T02:00:00Z", "Asia/Jakarta", "2025-01-15", "2025-01-15T17:00:00Z"],
    // A half-hour zone (UTC+5:45).
    ["2025-06-01T18:14:59.999Z", "Asia/Kathmandu", "2025-06-01", "2025-06-01T18:15:00Z"],
    ["2025-06-01T18:15:00.000Z", "Asia/Kathmandu", "2025-06-02", "2025-06-02T18:15:00Z"],
    // New York, spring forward on 2025-03-09 (02:00 EST → 03:00 EDT): a 23-hour day.
    ["2025-03-08T12:00:00Z", "America/New_York", "2025-03-08", "2025-03-09T05:00:00Z"],
    ["2025-03-09T05:00:00Z", "America/New_York", "2025-03-09", "2025-03-10T04:00:00Z"],
    ["2025-03-09T07:30:00Z", "America/New_York", "2025-03-09", "2025-03-10T04:00:00Z"], // just after the jump
    ["2025-03-10T03:59:59.999Z", "America/New_York", "2025-03-09", "2025-03-10T04:00:00Z"],
    ["2025-03-10T04:00:00.000Z", "America/New_York", "2025-03-10", "2025-03-11T04:00:00Z"],
    // New York, fall back on 2025-11-02 (02:00 EDT → 01:00 EST): a 25-hour day.
    ["2025-11-02T03:59:59.999Z", "America/New_York", "2025-11-01", "2025-11-02T04:00:00Z"],
    ["2025-11-02T04:00:00.000Z", "America/New_York", "2025-11-02", "2025-11-03T05:00:00Z"],
    ["2025-11-02T05:30:00Z", "America/New_York", "2025-11-02", "2025-11-03T05:00:00Z"], // 01:30 EDT
    ["2025-11-02T06:30:00Z", "America/New_York", "2025-11-02", "2025-11-03T05:00:00Z"], // 01:30 EST, the repeat
    ["2025-11-03T04:59:59.999Z", "America/New_York", "2025-11-02", "2025-11-03T05:00:00Z"],
    ["2025-11-03T05:00:00.000Z", "America/New_York", "2025-11-03", "2025-11-04T05:00:00Z"],
    // Santiago springs forward AT midnight (2024-09-08 00:00 → 01:00): the day starts at 01:00 local.
    ["2024-09-07T20:00:00Z", "America/Santiago", "2024-09-07", "2024-09-08T04:00:00Z"],
    ["2024-09-08T04:00:00Z", "America/Santiago", "2024-09-08", "2024-09-09T03:00:00Z"],
  ])("%s in %s → %s, resets %s", (now, zone, date, resetsAt) => {
    expect(quotaDay(at(now), zone)).toEqual({ date, resetsAt: at(resetsAt) });
  });

  it("holds its invariants every 3 hours through 2025 in New York", () => {
    const failures: string[] = [];
    for (let t = Date.parse("2025-01-01T00:00:00Z"); t < Date.parse("2026-01-01T00:00:00Z"); t += 3 * 3_600_000 + 7) {
      const day = quotaDay(new Date(t), "America/New_York");
      const reset = day.resetsAt.getTime();
      const hoursLeft = (reset - t) / 3_600_000;
      const justBefore = quotaDay(new Date(reset - 1), "America/New_York");
      const after = quotaDay(day.resetsAt, "America/New_York");
      if (!(hoursLeft > 0 && hoursLeft <= 25)) failures.push(`${new Date(t).toISOString()}: ${hoursLeft}h left`);
      if (justBefore.date !== day.date) failures.push(`${new Date(t).toISOString()}: 1 ms before reset is ${justBefore.date}`);
      if (after.date <= day.date) failures.push(`${new Date(t).toISOString()}: reset instant is still ${after.date}`);
    }
    expect(failures).toEqual([]);
  });

  it("refuses an invalid Date and an unknown zone", () => {
    expect(() => quotaDay(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => quotaDay(new Date(), "Mars/Olympus_Mons")).toThrow(RangeError);
    expect(isValidTimeZone("Asia/Jakarta")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
