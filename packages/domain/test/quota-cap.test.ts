import { describe, expect, it } from "vitest";
import { fitsUnderQuota, quotaCaps } from "../src/quota-cap.ts";

const plan = { dailyQuota: 50, professionalDailyQuota: 10 };

describe("quotaCaps", () => {
  it("caps every tier by the daily quota, and professional also by its own", () => {
    expect(quotaCaps(plan, "basic")).toEqual({ removals: 50, professional: null });
    expect(quotaCaps(plan, "standard")).toEqual({ removals: 50, professional: null });
    expect(quotaCaps(plan, "professional")).toEqual({ removals: 50, professional: 10 });
  });

  it("has no professional cap when the plan sets none", () => {
    expect(quotaCaps({ dailyQuota: 20, professionalDailyQuota: null }, "professional")).toEqual({ removals: 20, professional: null });
  });
});

describe("fitsUnderQuota", () => {
  it("allows a removal while the day's count is below each cap, and not at it", () => {
    const caps = quotaCaps(plan, "professional");
    expect(fitsUnderQuota(caps, { removals: 49, professional: 9 })).toBe(true);
    expect(fitsUnderQuota(caps, { removals: 50, professional: 0 })).toBe(false);
    expect(fitsUnderQuota(caps, { removals: 10, professional: 10 })).toBe(false);
  });

  it("ignores professional usage for other tiers", () => {
    expect(fitsUnderQuota(quotaCaps(plan, "basic"), { removals: 10, professional: 10 })).toBe(true);
  });
});
