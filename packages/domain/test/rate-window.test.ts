import { describe, expect, it } from "vitest";
import { isDomainError } from "../src/errors.ts";
import { assertUnderRateLimit, rateLimitStatus, windowStart } from "../src/rate-window.ts";

const rate = { limit: 3, windowSeconds: 60 };
const now = new Date("2026-01-01T12:00:00.000Z");
const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

describe("the rate window", () => {
  it("counts requests made after one window ago", () => {
    expect(windowStart(rate, now)).toEqual(secondsAgo(60));
  });

  it("reports what is left and when the oldest counted request leaves the window", () => {
    expect(rateLimitStatus(rate, { count: 0, oldest: null }, now)).toEqual({ limit: 3, remaining: 3, resetAt: now });
    expect(rateLimitStatus(rate, { count: 2, oldest: secondsAgo(45) }, now)).toEqual({
      limit: 3,
      remaining: 1,
      resetAt: new Date(now.getTime() + 15_000),
    });
    expect(rateLimitStatus(rate, { count: 5, oldest: secondsAgo(10) }, now).remaining).toBe(0);
  });

  it("lets requests through below the limit", () => {
    expect(() => assertUnderRateLimit(rate, { count: 2, oldest: secondsAgo(30) }, now)).not.toThrow();
  });

  it("refuses at the limit, saying in whole seconds (at least 1) when to retry", () => {
    const refusal = (counted: { count: number; oldest: Date }) => {
      try {
        assertUnderRateLimit(rate, counted, now);
      } catch (error) {
        return error;
      }
      throw new Error("expected a refusal");
    };
    const error = refusal({ count: 3, oldest: new Date(secondsAgo(45).getTime() - 500) });
    expect(isDomainError(error, "RATE_LIMITED") && error.details).toEqual({ retryAfterSeconds: 15, limit: 3 });
    const almost = refusal({ count: 3, oldest: new Date(secondsAgo(60).getTime() + 10) });
    expect(isDomainError(almost, "RATE_LIMITED") && almost.details.retryAfterSeconds).toBe(1);
  });
});
