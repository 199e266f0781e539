import { describe, expect, it } from "vitest";
import type { TierName } from "@bgr/engine";
import { DomainError, isDomainError } from "../src/errors.ts";
import {
  TIER_CREDITS,
  VOLUME_DISCOUNTS,
  parseTier,
  priceBatch,
  priceSingle,
  refundPerFailedItem,
  tierNames,
  volumeDiscountFor,
} from "../src/pricing.ts";

const TIERS = tierNames();

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("priceSingle", () => {
  it.each([
    ["basic", 3],
    ["standard", 8],
    ["professional", 15],
    ["industry", 25],
  ] as const)("%s costs %i credits", (tier, credits) => {
    expect(priceSingle(tier)).toBe(credits);
  });

  it("rejects an unknown tier with INVALID_TIER and lists the valid ones", () => {
    const error = thrown(() => priceSingle("premium" as TierName));
    expect(isDomainError(error, "INVALID_TIER")).toBe(true);
    expect((error as DomainError).message).toContain("basic, standard, professional, industry");
  });
});

describe("priceBatch: discount boundaries (standard, 8 credits)", () => {
  it.each([
    // count, discount %, baseTotal, discountAmount, finalTotal
    [1, 0, 8, 0, 8],
    [2, 0, 16, 0, 16],
    [19, 0, 152, 0, 152],
    [20, 5, 160, 8, 152],
    [50, 5, 400, 20, 380],
    [51, 10, 408, 40, 368],
    [100, 10, 800, 80, 720],
    [101, 15, 808, 121, 687],
    [200, 15, 1600, 240, 1360],
    [201, 20, 1608, 321, 1287],
    [500, 20, 4000, 800, 3200],
  ])("%i images → %i %%", (count, pct, baseTotal, discountAmount, finalTotal) => {
    const p = priceBatch("standard", count);
    expect(p).toEqual({
      baseCreditsPerImage: 8,
      baseTotal,
      discountPercentage: pct,
      discountAmount,
      finalTotal,
      creditsPerImageAfterDiscount: finalTotal / count,
    });
  });
});

describe("priceBatch: spec 3.2.2 table examples", () => {
  it.each([
    [19, 152],
    [50, 380],
    [100, 720],
    [200, 1360],
    [500, 3200],
  ])("%i images of standard cost %i", (count, finalTotal) => {
    expect(priceBatch("standard", count).finalTotal).toBe(finalTotal);
  });

  it("reproduces the spec 3.2.2 response pricing object for 100 standard images", () => {
    expect(priceBatch("standard", 100)).toEqual({
      baseCreditsPerImage: 8,
      baseTotal: 800,
      discountPercentage: 10,
      discountAmount: 80,
      finalTotal: 720,
      creditsPerImageAfterDiscount: 7.2,
    });
  });
});

describe("priceBatch: every tier", () => {
  it.each([
    // tier, count, finalTotal
    ["basic", 23, 66], // 69 - floor(3.45): the customer pays the rounding
    ["basic", 500, 1200],
    ["professional", 12, 180], // spec 3.2.5's 12 avatars at 0 %
    ["professional", 33, 471], // 495 - floor(24.75)
    ["professional", 150, 1913], // 2250 - floor(337.5)
    ["industry", 7, 175],
    ["industry", 77, 1733], // 1925 - floor(192.5)
    ["industry", 500, 10000],
  ] as const)("%s × %i = %i", (tier, count, finalTotal) => {
    const p = priceBatch(tier, count);
    expect(p.finalTotal).toBe(finalTotal);
    expect(p.baseTotal).toBe(TIER_CREDITS[tier] * count);
    expect(p.baseTotal - p.discountAmount).toBe(p.finalTotal);
  });

  it("rounds the discount down for every tier and count (never a fractional credit)", () => {
    for (const tier of TIERS) {
      for (let n = 1; n <= 500; n++) {
        const p = priceBatch(tier, n);
        const exactDiscount = (p.baseTotal * p.discountPercentage) / 100;
        const ok = Number.isInteger(p.discountAmount) && p.discountAmount <= exactDiscount && exactDiscount - p.discountAmount < 1;
        if (!ok) expect.fail(`${tier} × ${n}: discount ${p.discountAmount} for exact ${exactDiscount}`);
      }
    }
  });
});

describe("priceBatch: invalid input", () => {
  it.each([0, -1, 501, 1000, 2.5, Number.NaN])("rejects %s images with INVALID_IMAGE_COUNT", (count) => {
    const error = thrown(() => priceBatch("basic", count));
    expect(isDomainError(error, "INVALID_IMAGE_COUNT")).toBe(true);
    expect((error as DomainError<"INVALID_IMAGE_COUNT">).details).toEqual({ actual: count, min: 1, max: 500 });
  });

  it("tells the user to split an oversized batch", () => {
    expect(() => priceBatch("basic", 501)).toThrow(/Split them into several batches/);
  });

  it("rejects an unknown tier before looking at the count", () => {
    expect(isDomainError(thrown(() => priceBatch("ultra" as TierName, 0)), "INVALID_TIER")).toBe(true);
  });
});

describe("VOLUME_DISCOUNTS", () => {
  it("covers 1..500 contiguously without overlap", () => {
    let next = 1;
    for (const rule of VOLUME_DISCOUNTS) {
      expect(rule.minImages).toBe(next);
      next = rule.maxImages + 1;
    }
    expect(next).toBe(501);
    expect(volumeDiscountFor(500).discountPercentage).toBe(20);
  });

  it("is frozen, so no caller can change prices at run time", () => {
    expect(Object.isFrozen(VOLUME_DISCOUNTS)).toBe(true);
    expect(Object.isFrozen(VOLUME_DISCOUNTS[0])).toBe(true);
    expect(Object.isFrozen(TIER_CREDITS)).toBe(true);
  });
});

describe("parseTier", () => {
  it("accepts every tier and rejects anything else", () => {
    for (const tier of TIERS) expect(parseTier(tier)).toBe(tier);
    for (const bad of ["", "Basic", "toString", 3, null, undefined]) {
      expect(isDomainError(thrown(() => parseTier(bad)), "INVALID_TIER")).toBe(true);
    }
  });
});

describe("refundPerFailedItem", () => {
  it("refunds at the batch's discounted rate (100 standard: 7.2 per item)", () => {
    const charge = { totalImages: 100, finalTotal: 720 };
    // 7.2 per item: floor of the cumulative total, so credits come back 7,7,7,7,8,...
    const firstFive = [0, 1, 2, 3, 4].map((k) => refundPerFailedItem(charge, 1, k));
    expect(firstFive).toEqual([7, 7, 7, 7, 8]);
    expect(refundPerFailedItem(charge, 2, 0)).toBe(14);
    expect(refundPerFailedItem(charge, 100, 0)).toBe(720);
  });

  it("refunds nothing for zero failures", () => {
    expect(refundPerFailedItem({ totalImages: 10, finalTotal: 80 }, 0, 3)).toBe(0);
  });

  it("for every tier and n = 2..500: refunds one by one never exceed finalTotal and reach it exactly at k = n", () => {
    // ~500k cases: collect violations and assert once, since an expect() per case is slow.
    const violations: string[] = [];
    for (const tier of TIERS) {
      for (let n = 2; n <= 500; n++) {
        const { finalTotal, baseCreditsPerImage } = priceBatch(tier, n);
        const charge = { totalImages: n, finalTotal };
        let refunded = 0;
        for (let k = 0; k < n; k++) {
          const refund = refundPerFailedItem(charge, 1, k);
          refunded += refund;
          if (refund < 0 || refund > baseCreditsPerImage) violations.push(`${tier} n=${n} k=${k}: item refund ${refund}`);
          if (refunded > finalTotal) violations.push(`${tier} n=${n} k=${k + 1}: refunded ${refunded} > ${finalTotal}`);
        }
        if (refunded !== finalTotal) violations.push(`${tier} n=${n}: all failed but refunded ${refunded} of ${finalTotal}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("gives the same total however the failures are grouped", () => {
    for (const tier of TIERS) {
      for (const n of [2, 3, 19, 20, 37, 51, 99, 101, 173, 201, 333, 499, 500]) {
        const charge = { totalImages: n, finalTotal: priceBatch(tier, n).finalTotal };
        let done = 0;
        let refunded = 0;
        for (let chunk = 1; done < n; chunk = (chunk * 3) % 7 + 1) {
          const failed = Math.min(chunk, n - done);
          refunded += refundPerFailedItem(charge, failed, done);
          done += failed;
          // The partial sum equals the cumulative formula, so grouping cannot change it.
          expect(refunded).toBe(refundPerFailedItem(charge, done, 0));
        }
        expect(refunded).toBe(charge.finalTotal);
      }
    }
  });

  it.each([
    [{ totalImages: 10, finalTotal: 80 }, 1, 10],
    [{ totalImages: 10, finalTotal: 80 }, 11, 0],
    [{ totalImages: 10, finalTotal: 80 }, -1, 0],
    [{ totalImages: 10, finalTotal: 80 }, 1, -1],
    [{ totalImages: 10, finalTotal: 80 }, 0.5, 0],
    [{ totalImages: 0, finalTotal: 0 }, 0, 0],
    [{ totalImages: 10, finalTotal: 7.5 }, 1, 0],
  ])("refuses impossible bookkeeping %j failed=%i already=%i as a bug (RangeError)", (charge, failed, already) => {
    expect(() => refundPerFailedItem(charge, failed, already)).toThrow(RangeError);
  });
});
