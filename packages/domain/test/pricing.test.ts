import { describe, expect, it } from "vitest";
import type { TierName } from "../src/tiers.ts";
import { isDomainError, type DomainError } from "../src/errors.ts";
import {
  TIER_CREDITS,
  cheapestBatchFrom,
  VOLUME_DISCOUNTS,
  parseTier,
  priceBatch,
  priceSingle,
  settleBatch,
  shareOf,
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
    expect(
      isDomainError(
        thrown(() => priceBatch("ultra" as TierName, 0)),
        "INVALID_TIER",
      ),
    ).toBe(true);
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
      expect(
        isDomainError(
          thrown(() => parseTier(bad)),
          "INVALID_TIER",
        ),
      ).toBe(true);
    }
  });
});

describe("settleBatch", () => {
  const quote = (tier: TierName, n: number) => ({ tier, totalImages: n, finalTotal: priceBatch(tier, n).finalTotal });

  it("charges nothing back when every item succeeds, at every discount boundary", () => {
    for (const tier of TIERS) {
      for (const n of [19, 20, 50, 51, 100, 101, 200, 201, 500]) {
        expect(settleBatch(quote(tier, n), n), `${tier} ${n}`).toEqual({ netTotal: priceBatch(tier, n).finalTotal, refund: 0 });
      }
    }
  });

  it.each([
    // [asked, succeeded, net for basic (3 credits)]: below each boundary the smaller batch's own price,
    // capped by the quote where the smaller count's price would be higher.
    [20, 19, 57], // 20 at 5 % = 57; 19 at 0 % = 57
    [21, 19, 57], // 21 at 5 % = 60; 19 at 0 % = 57: the discount of 20 is not kept
    [51, 50, 138], // 50 at 5 % = 143 > the quote 153 - 15 = 138: pays the quote
    [52, 50, 141], // 52 at 10 % = 141 < 143: pays the quote
    [60, 50, 143], // 60 at 10 % = 162; 50 at 5 % = 143
    [101, 100, 258], // 100 at 10 % = 270 > the quote 303 - 45 = 258
    [120, 100, 270], // 120 at 15 % = 306; 100 at 10 % = 270
    [201, 200, 483], // 200 at 15 % = 510 > the quote 603 - 120 = 483
    [250, 200, 510], // 250 at 20 % = 600; 200 at 15 % = 510
    [201, 5, 15], // the padding case: 5 real images pay the price of 5
    [201, 0, 0],
  ])("%i asked, %i done: pays %i (basic)", (asked, done, net) => {
    const charge = quote("basic", asked);
    expect(settleBatch(charge, done)).toEqual({ netTotal: net, refund: charge.finalTotal - net });
  });

  it("for every tier, n around each boundary and k = 0..n: pays min(price of k, quote), never more than the quote, never a negative refund", () => {
    const violations: string[] = [];
    const counts = [1, 2, 3, 18, 19, 20, 21, 49, 50, 51, 52, 99, 100, 101, 102, 199, 200, 201, 202, 333, 499, 500];
    for (const tier of TIERS) {
      for (const n of counts) {
        const charge = quote(tier, n);
        for (let k = 0; k <= n; k++) {
          const { netTotal, refund } = settleBatch(charge, k);
          const honest = k === 0 ? 0 : priceBatch(tier, k).finalTotal;
          if (netTotal !== Math.min(honest, charge.finalTotal) || refund < 0 || netTotal + refund !== charge.finalTotal) {
            violations.push(`${tier} n=${n} k=${k}: net ${netTotal}, refund ${refund}`);
          }
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it.each([
    [{ tier: "basic" as const, totalImages: 10, finalTotal: 30 }, 11],
    [{ tier: "basic" as const, totalImages: 10, finalTotal: 30 }, -1],
    [{ tier: "basic" as const, totalImages: 10, finalTotal: 30 }, 0.5],
    [{ tier: "basic" as const, totalImages: 0, finalTotal: 0 }, 0],
    [{ tier: "basic" as const, totalImages: 10, finalTotal: 7.5 }, 1],
  ])("refuses impossible bookkeeping %j succeeded=%d as a bug (RangeError)", (charge, succeeded) => {
    expect(() => settleBatch(charge, succeeded)).toThrow(RangeError);
  });
});

describe("shareOf", () => {
  it("spreads a total over items in whole credits that add up to it exactly (720 over 100: 7, 7, 7, 7, 8, …)", () => {
    expect([0, 1, 2, 3, 4].map((i) => shareOf(720, 100, i))).toEqual([7, 7, 7, 7, 8]);
    for (const [total, count] of [
      [720, 100],
      [0, 3],
      [15, 5],
      [483, 201],
      [1, 7],
    ] as const) {
      const shares = Array.from({ length: count }, (_, i) => shareOf(total, count, i));
      expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
    }
    expect(() => shareOf(10, 2, 2)).toThrow(RangeError);
  });
});

describe("cheapestBatchFrom", () => {
  it("is the price of that many images inside a discount band", () => {
    expect(cheapestBatchFrom("basic", 2)).toBe(priceBatch("basic", 2).finalTotal);
    expect(cheapestBatchFrom("standard", 300)).toBe(priceBatch("standard", 300).finalTotal);
  });

  it("is never more than any bigger batch costs, at every count and tier", () => {
    for (const tier of ["basic", "standard", "professional", "industry"] as const) {
      for (let count = 1; count <= 500; count++) {
        const bound = cheapestBatchFrom(tier, count);
        expect(bound).toBeLessThanOrEqual(priceBatch(tier, count).finalTotal);
        for (const bigger of [count + 1, 20, 51, 101, 201, 500].filter((m) => m >= count && m <= 500)) {
          expect(bound).toBeLessThanOrEqual(priceBatch(tier, bigger).finalTotal);
        }
      }
    }
  });

  it("drops below the count's own price just before a boundary (200 basic images cost more than 201)", () => {
    expect(priceBatch("basic", 201).finalTotal).toBeLessThan(priceBatch("basic", 200).finalTotal);
    expect(cheapestBatchFrom("basic", 200)).toBe(priceBatch("basic", 201).finalTotal);
  });
});
