import { describe, expect, it } from "vitest";
import { PLANS } from "../src/plans.ts";
import { subscriptionView, type SubscriptionFacts } from "../src/subscription-view.ts";

const now = new Date("2025-01-15T10:00:00Z");

function facts(plan: "starter" | "pro", overrides: Partial<SubscriptionFacts> = {}): SubscriptionFacts {
  const p = PLANS[plan];
  return {
    status: "active",
    plan,
    allowedTiers: p.allowedTiers,
    dailyQuota: p.dailyQuota,
    professionalDailyQuota: p.professionalDailyQuota,
    monthlyPrice: p.monthlyPrice,
    currency: p.currency,
    subscribedAt: new Date("2025-01-15T00:00:00Z"),
    currentPeriodEnd: new Date("2025-02-15T00:00:00Z"),
    nextBillingDate: new Date("2025-02-15T00:00:00Z"),
    expiresAt: new Date("2025-02-15T00:00:00Z"),
    autoRenew: true,
    cancelledAt: null,
    ...overrides,
  };
}

describe("subscriptionView", () => {
  it("answers the spec's active shape, with the professional counter on pro", () => {
    const view = subscriptionView({
      subscription: facts("pro"),
      usageToday: { removals: 47, professional: 12 },
      pendingPayment: null,
      now,
      timeZone: "UTC",
    });
    expect(view).toEqual({
      hasSubscription: true,
      plan: "pro",
      status: "active",
      pricing: { monthlyPrice: 299000, currency: "IDR" },
      quotas: {
        daily: { limit: 200, used: 47, remaining: 153, resetsAt: "2025-01-16T00:00:00.000Z" },
        professionalTier: { limit: 50, used: 12, remaining: 38 },
      },
      allowedTiers: ["basic", "standard", "professional"],
      billing: {
        nextBillingDate: "2025-02-15T00:00:00.000Z",
        subscribedAt: "2025-01-15T00:00:00.000Z",
        currentPeriodEnd: "2025-02-15T00:00:00.000Z",
        expiresAt: "2025-02-15T00:00:00.000Z",
        autoRenew: true,
        cancelledAt: null,
      },
      pendingPayment: null,
    });
  });

  it("has no professional counter on starter, and never a negative remainder", () => {
    const view = subscriptionView({
      subscription: facts("starter"),
      usageToday: { removals: 55, professional: 0 },
      pendingPayment: null,
      now,
      timeZone: "UTC",
    });
    expect(view.hasSubscription && view.quotas).toEqual({
      daily: { limit: 50, used: 55, remaining: 0, resetsAt: "2025-01-16T00:00:00.000Z" },
    });
  });

  it("reports the reset at the next midnight of the quota time zone", () => {
    const view = subscriptionView({
      subscription: facts("starter"),
      usageToday: { removals: 0, professional: 0 },
      pendingPayment: null,
      now,
      timeZone: "Asia/Jakarta",
    });
    // 10:00Z is 17:00 in Jakarta (UTC+7); its next midnight is 17:00Z.
    expect(view.hasSubscription && view.quotas.daily.resetsAt).toBe("2025-01-15T17:00:00.000Z");
  });

  it("shows a cancelled subscription until its paid period ends, with no next billing", () => {
    const cancelled = facts("starter", { status: "cancelled", autoRenew: false, cancelledAt: new Date("2025-01-20T00:00:00Z") });
    const view = subscriptionView({
      subscription: cancelled,
      usageToday: { removals: 0, professional: 0 },
      pendingPayment: null,
      now,
      timeZone: "UTC",
    });
    expect(view).toMatchObject({ hasSubscription: true, status: "cancelled", billing: { nextBillingDate: null, autoRenew: false } });
  });

  it.each([
    ["none", null],
    ["pending", facts("pro", { status: "pending" })],
    ["expired", facts("pro", { status: "expired" })],
    ["past expiresAt", facts("pro", { expiresAt: now })],
  ] as const)("answers the no-subscription shape with the plans for %s", (_name, subscription) => {
    const view = subscriptionView({
      subscription,
      usageToday: { removals: 0, professional: 0 },
      pendingPayment: null,
      now,
      timeZone: "UTC",
    });
    expect(view).toEqual({
      hasSubscription: false,
      availablePlans: [
        { name: "starter", price: 99000, dailyQuota: 50, allowedTiers: ["basic", "standard"] },
        { name: "pro", price: 299000, dailyQuota: 200, allowedTiers: ["basic", "standard", "professional"], professionalQuota: 50 },
      ],
      pendingPayment: null,
    });
  });
});
