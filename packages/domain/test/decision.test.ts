import { describe, expect, it } from "vitest";
import type { TierName } from "../src/tiers.ts";
import { decidePayment, subscriptionIsActive } from "../src/decision.ts";
import type { SingleRemovalRequest, SubscriptionSnapshot, SubscriptionStatus } from "../src/decision.ts";
import { isDomainError } from "../src/errors.ts";

const now = new Date("2025-01-15T10:00:00Z");
const nextMonth = new Date("2025-02-15T00:00:00Z");

const pro: SubscriptionSnapshot = {
  status: "active",
  plan: "pro",
  allowedTiers: ["basic", "standard", "professional"],
  dailyQuota: 200,
  professionalDailyQuota: 50,
  expiresAt: nextMonth,
};
const starter: SubscriptionSnapshot = {
  status: "active",
  plan: "starter",
  allowedTiers: ["basic", "standard"],
  dailyQuota: 50,
  professionalDailyQuota: null,
  expiresAt: nextMonth,
};

function single(tier: TierName, subscription: SubscriptionSnapshot | null, removals = 0, professional = 0): SingleRemovalRequest {
  return { kind: "single", tier, subscription, usageToday: { removals, professional }, now };
}

describe("decidePayment: batches", () => {
  it("always pay credits at the volume price, even with a subscription and quota left", () => {
    expect(decidePayment({ kind: "batch", tier: "standard", imageCount: 100 })).toEqual({ pay: "credits", credits: 720, reason: "batch" });
    expect(
      decidePayment({ kind: "batch", tier: "basic", imageCount: 2, subscription: pro, usageToday: { removals: 0, professional: 0 }, now }),
    ).toEqual({ pay: "credits", credits: 6, reason: "batch" });
  });

  it.each([1, 0, 501])("refuses a batch of %i images", (imageCount) => {
    expect(() => decidePayment({ kind: "batch", tier: "basic", imageCount })).toThrow(
      expect.objectContaining({ code: "INVALID_IMAGE_COUNT" }),
    );
  });
});

describe("decidePayment: single images", () => {
  it("no subscription → credits at the single price", () => {
    expect(decidePayment(single("professional", null))).toEqual({ pay: "credits", credits: 15, reason: "no_subscription" });
  });

  it("active subscription, tier in plan, quota left → subscription", () => {
    expect(decidePayment(single("basic", starter))).toEqual({ pay: "subscription" });
    expect(decidePayment(single("standard", starter, 49))).toEqual({ pay: "subscription" });
    expect(decidePayment(single("professional", pro, 199, 49))).toEqual({ pay: "subscription" });
  });

  it("tier not in plan → credits", () => {
    expect(decidePayment(single("professional", starter))).toEqual({ pay: "credits", credits: 15, reason: "tier_not_in_plan" });
    expect(decidePayment(single("industry", pro))).toEqual({ pay: "credits", credits: 25, reason: "tier_not_in_plan" });
  });

  it("industry is never covered, even if a subscription row claims it", () => {
    const corrupted = { ...pro, allowedTiers: [...pro.allowedTiers, "industry"] as TierName[] };
    expect(decidePayment(single("industry", corrupted))).toEqual({ pay: "credits", credits: 25, reason: "tier_not_in_plan" });
  });

  it("daily quota used up → credits", () => {
    expect(decidePayment(single("basic", starter, 50))).toEqual({ pay: "credits", credits: 3, reason: "quota_exhausted" });
    expect(decidePayment(single("standard", pro, 200))).toEqual({ pay: "credits", credits: 8, reason: "quota_exhausted" });
  });

  it("pro: professional counts against both the daily total and the professional cap", () => {
    expect(decidePayment(single("professional", pro, 60, 50))).toEqual({ pay: "credits", credits: 15, reason: "quota_exhausted" });
    expect(decidePayment(single("professional", pro, 200, 10))).toEqual({ pay: "credits", credits: 15, reason: "quota_exhausted" });
    // The professional cap does not limit other tiers.
    expect(decidePayment(single("standard", pro, 60, 50))).toEqual({ pay: "subscription" });
  });

  it("a plan without a professional cap lets professional use the whole daily quota", () => {
    const uncapped = { ...pro, professionalDailyQuota: null };
    expect(decidePayment(single("professional", uncapped, 150, 150))).toEqual({ pay: "subscription" });
  });

  it("inactive subscription → credits", () => {
    const expired = { ...pro, status: "expired" as const };
    const lapsed = { ...pro, expiresAt: now };
    expect(decidePayment(single("basic", expired))).toEqual({ pay: "credits", credits: 3, reason: "subscription_inactive" });
    expect(decidePayment(single("basic", lapsed))).toEqual({ pay: "credits", credits: 3, reason: "subscription_inactive" });
  });

  it("a pending subscription (awaiting its first payment) pays for nothing, even with expiresAt ahead", () => {
    const pending = { ...pro, status: "pending" as const };
    expect(decidePayment(single("basic", pending))).toEqual({ pay: "credits", credits: 3, reason: "subscription_inactive" });
  });

  it("checks the subscription before the tier: an expired starter asking for professional is inactive", () => {
    const expired = { ...starter, status: "expired" as const };
    expect(decidePayment(single("professional", expired))).toMatchObject({ reason: "subscription_inactive" });
  });

  it("rejects an unknown tier", () => {
    let error: unknown;
    try {
      decidePayment(single("ultra" as TierName, null));
    } catch (e) {
      error = e;
    }
    expect(isDomainError(error, "INVALID_TIER")).toBe(true);
  });
});

describe("subscriptionIsActive", () => {
  const past = new Date("2025-01-15T09:59:59.999Z");
  const future = new Date("2025-01-15T10:00:00.001Z");
  it.each([
    ["active", future, true],
    ["grace_period", future, true],
    ["cancelled", future, true], // cancelling keeps access until the paid period ends
    ["expired", future, false],
    ["pending", future, false], // created but not paid yet
    ["active", now, false], // expiresAt is exclusive
    ["active", past, false],
    ["grace_period", past, false],
    ["cancelled", past, false],
  ] as const)("%s with expiresAt %s → %s", (status: SubscriptionStatus, expiresAt, expected) => {
    expect(subscriptionIsActive({ ...pro, status, expiresAt }, now)).toBe(expected);
  });
});
