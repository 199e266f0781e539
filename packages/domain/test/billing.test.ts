import { describe, expect, it } from "vitest";
import { addMonths, graceEndsAt, nextPeriodEnd, periodAfterPayment } from "../src/billing.ts";

const at = (iso: string) => new Date(iso);

describe("addMonths", () => {
  it.each([
    ["2025-01-15T10:00:00.000Z", 1, "2025-02-15T10:00:00.000Z"],
    ["2025-01-31T10:00:00.000Z", 1, "2025-02-28T10:00:00.000Z"], // clamped to the month's last day
    ["2024-01-31T10:00:00.000Z", 1, "2024-02-29T10:00:00.000Z"], // leap year
    ["2025-12-31T23:59:59.000Z", 1, "2026-01-31T23:59:59.000Z"], // year boundary
    ["2025-03-31T00:00:00.000Z", 3, "2025-06-30T00:00:00.000Z"],
  ] as const)("%s + %i month(s) = %s", (from, months, expected) => {
    expect(addMonths(at(from), months).toISOString()).toBe(expected);
  });
});

describe("nextPeriodEnd", () => {
  it("counts from the anchor, so a short month does not move the billing day for good", () => {
    const anchor = at("2025-01-31T10:00:00.000Z");
    const feb = nextPeriodEnd(anchor, anchor);
    expect(feb.toISOString()).toBe("2025-02-28T10:00:00.000Z");
    const mar = nextPeriodEnd(anchor, feb);
    expect(mar.toISOString()).toBe("2025-03-31T10:00:00.000Z");
    expect(nextPeriodEnd(anchor, mar).toISOString()).toBe("2025-04-30T10:00:00.000Z");
  });

  it("is always after the current end", () => {
    const anchor = at("2025-01-15T00:00:00.000Z");
    expect(nextPeriodEnd(anchor, at("2025-02-15T00:00:00.000Z")).toISOString()).toBe("2025-03-15T00:00:00.000Z");
    expect(nextPeriodEnd(anchor, at("2025-02-20T00:00:00.000Z")).toISOString()).toBe("2025-03-15T00:00:00.000Z");
  });
});

describe("graceEndsAt", () => {
  it("is graceDays after the period end", () => {
    expect(graceEndsAt(at("2025-02-15T00:00:00Z"), at("2025-02-15T00:05:00Z"), 3).toISOString()).toBe("2025-02-18T00:05:00.000Z");
    expect(graceEndsAt(at("2025-02-15T00:00:00Z"), at("2025-02-14T00:00:00Z"), 3).toISOString()).toBe("2025-02-18T00:00:00.000Z");
  });

  it("never leaves fewer than graceDays from now, when the renewal run comes late", () => {
    expect(graceEndsAt(at("2025-02-15T00:00:00Z"), at("2025-02-20T00:00:00Z"), 3).toISOString()).toBe("2025-02-23T00:00:00.000Z");
  });

  it("rejects a negative or fractional grace", () => {
    expect(() => graceEndsAt(new Date(), new Date(), -1)).toThrow(RangeError);
    expect(() => graceEndsAt(new Date(), new Date(), 1.5)).toThrow(RangeError);
  });
});

describe("periodAfterPayment", () => {
  const running = {
    status: "grace_period" as const,
    subscribedAt: at("2025-01-31T10:00:00Z"),
    currentPeriodEnd: at("2025-02-28T10:00:00Z"),
    expiresAt: at("2025-03-03T10:00:00Z"),
  };

  it("a renewal paid during grace extends from the end of the paid period, not from the payment", () => {
    expect(periodAfterPayment(running, at("2025-03-02T00:00:00Z"))).toEqual({
      subscribedAt: at("2025-01-31T10:00:00Z"),
      currentPeriodEnd: at("2025-03-31T10:00:00Z"),
      fresh: false,
    });
  });

  it.each([
    ["pending", { ...running, status: "pending" as const }],
    ["expired", { ...running, status: "expired" as const }],
    ["paid after access ended", { ...running, expiresAt: at("2025-03-01T00:00:00Z") }],
  ])("%s starts a fresh month at the payment", (_name, current) => {
    const paidAt = at("2025-03-02T00:00:00Z");
    expect(periodAfterPayment(current, paidAt)).toEqual({
      subscribedAt: paidAt,
      currentPeriodEnd: at("2025-04-02T00:00:00Z"),
      fresh: true,
    });
  });
});
