import { describe, expect, it } from "vitest";
import { PLANS, PLAN_NAMES, SUBSCRIBABLE_TIERS, availablePlans, isPlanName } from "../src/plans.ts";

describe("plans", () => {
  it("starter: 99 000 IDR/month, 50 a day, basic and standard", () => {
    expect(PLANS.starter).toEqual({
      name: "starter",
      monthlyPrice: 99_000,
      currency: "IDR",
      dailyQuota: 50,
      allowedTiers: ["basic", "standard"],
      professionalDailyQuota: null,
    });
  });

  it("pro: 299 000 IDR/month, 200 a day, up to professional with at most 50 professional a day", () => {
    expect(PLANS.pro).toEqual({
      name: "pro",
      monthlyPrice: 299_000,
      currency: "IDR",
      dailyQuota: 200,
      allowedTiers: ["basic", "standard", "professional"],
      professionalDailyQuota: 50,
    });
  });

  it("no plan covers industry, and every plan's tiers are subscribable", () => {
    expect(SUBSCRIBABLE_TIERS).not.toContain("industry");
    for (const name of PLAN_NAMES) {
      for (const tier of PLANS[name].allowedTiers) expect(SUBSCRIBABLE_TIERS).toContain(tier);
    }
  });

  it("availablePlans() is the spec 3.2.4 no-subscription shape", () => {
    expect(availablePlans()).toEqual([
      { name: "starter", price: 99000, dailyQuota: 50, allowedTiers: ["basic", "standard"] },
      {
        name: "pro",
        price: 299000,
        dailyQuota: 200,
        allowedTiers: ["basic", "standard", "professional"],
        professionalQuota: 50,
      },
    ]);
    expect("professionalQuota" in availablePlans()[0]!).toBe(false);
  });

  it("hands out copies, so a caller cannot change the plans", () => {
    availablePlans()[0]!.allowedTiers.push("industry");
    expect(PLANS.starter.allowedTiers).toEqual(["basic", "standard"]);
    expect(Object.isFrozen(PLANS.pro)).toBe(true);
  });

  it("isPlanName", () => {
    expect(isPlanName("pro")).toBe(true);
    expect(isPlanName("enterprise")).toBe(false);
    expect(isPlanName(undefined)).toBe(false);
  });
});
