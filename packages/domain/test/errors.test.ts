import { describe, expect, it } from "vitest";
import { DOMAIN_ERROR_CODES, DomainError, busy, insufficientCredits, isDomainError, rateLimited } from "../src/errors.ts";

describe("DomainError", () => {
  it("defines every code the product needs, once", () => {
    expect([...DOMAIN_ERROR_CODES].sort()).toEqual(
      [
        "INVALID_TIER",
        "INVALID_IMAGE_COUNT",
        "FILE_TOO_LARGE",
        "BATCH_TOO_LARGE",
        "INSUFFICIENT_CREDITS",
        "TIER_NOT_ALLOWED",
        "RATE_LIMITED",
        "NOT_FOUND",
        "CONFLICT",
        "INVALID_IMAGE",
        "INVALID_OPTIONS",
        "INVALID_FILES",
        "UNAUTHORIZED",
        "FORBIDDEN",
        "BUSY",
        "NOT_CONFIGURED",
        "UPSTREAM_FAILED",
        "UPSTREAM_TIMEOUT",
        "IDEMPOTENCY_KEY_REUSED",
        "IDEMPOTENCY_KEY_IN_USE",
        "INSUFFICIENT_SCOPE",
        "FILE_EXPIRED",
      ].sort(),
    );
  });

  it("is an Error with a code, a name and no details for codes that have none", () => {
    const error = new DomainError("NOT_FOUND", "No such batch. Check the link or start a new batch.");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("DomainError");
    expect(error.code).toBe("NOT_FOUND");
    expect(error.details).toBeUndefined();
  });

  it("carries required and available credits so the UI can say what is missing", () => {
    const error = insufficientCredits(720, 500);
    expect(error.code).toBe("INSUFFICIENT_CREDITS");
    expect(error.details).toEqual({ required: 720, available: 500 });
    expect(error.message).toContain("This needs 720 credits and you have 500");
    expect(error.message).toContain("Buy at least 220 more credits");
  });

  it("carries retryAfterSeconds for RATE_LIMITED and BUSY", () => {
    expect(rateLimited(30).details).toEqual({ retryAfterSeconds: 30 });
    expect(busy(5)).toMatchObject({ code: "BUSY", details: { retryAfterSeconds: 5 } });
    expect(busy(5).message).toContain("Try again in 5 seconds");
  });

  it("isDomainError narrows by code", () => {
    const error: unknown = rateLimited(10);
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(error, "RATE_LIMITED")).toBe(true);
    expect(isDomainError(error, "BUSY")).toBe(false);
    expect(isDomainError(new Error("x"))).toBe(false);
    if (isDomainError(error, "RATE_LIMITED")) expect(error.details.retryAfterSeconds).toBe(10);
  });

  it("requires details exactly for the codes that have them (compile-time)", () => {
    // @ts-expect-error INSUFFICIENT_CREDITS without its numbers must not compile
    void new DomainError("INSUFFICIENT_CREDITS", "x");
    // @ts-expect-error NOT_FOUND takes no details
    const notFound = new DomainError("NOT_FOUND", "x", { anything: 1 });
    // At run time the wrongly built error still carries its code.
    expect(notFound.code).toBe("NOT_FOUND");
  });
});
