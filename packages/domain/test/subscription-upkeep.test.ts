import { describe, expect, it } from "vitest";
import { RENEWAL_REMINDER_DAYS } from "../src/notifications.ts";
import { accessHasRunOut, renewalReminderWindow } from "../src/subscription-upkeep.ts";

const now = new Date("2026-03-10T12:00:00Z");
const past = new Date("2026-03-10T11:59:59Z");
const future = new Date("2026-03-10T12:00:01Z");

describe("accessHasRunOut", () => {
  it("ends cancelled and grace-period access at expiresAt", () => {
    expect(accessHasRunOut({ status: "cancelled", autoRenew: false, expiresAt: past }, now)).toBe(true);
    expect(accessHasRunOut({ status: "grace_period", autoRenew: true, expiresAt: now }, now)).toBe(true);
    expect(accessHasRunOut({ status: "cancelled", autoRenew: false, expiresAt: future }, now)).toBe(false);
  });

  it("ends an active plan only when it will not renew", () => {
    expect(accessHasRunOut({ status: "active", autoRenew: false, expiresAt: past }, now)).toBe(true);
    expect(accessHasRunOut({ status: "active", autoRenew: true, expiresAt: past }, now)).toBe(false);
  });

  it("leaves plans without access alone", () => {
    expect(accessHasRunOut({ status: "pending", autoRenew: true, expiresAt: past }, now)).toBe(false);
    expect(accessHasRunOut({ status: "expired", autoRenew: false, expiresAt: past }, now)).toBe(false);
  });
});

describe("renewalReminderWindow", () => {
  it("spans one day starting RENEWAL_REMINDER_DAYS from now", () => {
    const { from, until } = renewalReminderWindow(now);
    expect(from.getTime() - now.getTime()).toBe(RENEWAL_REMINDER_DAYS * 86_400_000);
    expect(until.getTime() - from.getTime()).toBe(86_400_000);
  });
});
