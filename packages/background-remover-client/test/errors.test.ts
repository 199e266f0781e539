import { TRPCClientError } from "@trpc/client";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  BackgroundRemoverError,
  isBackgroundRemoverError,
  parseDataResponse,
  parseErrorResponse,
  toBackgroundRemoverError,
  type ErrorDetailsByCode,
} from "../src/errors.ts";
import type { AppRouter } from "../src/types.ts";
import type { inferRouterError } from "@trpc/server";

describe("parseErrorResponse", () => {
  it("reads the server's error envelope: code, message, details, status", () => {
    const body = JSON.stringify({
      success: false,
      error: { code: "INSUFFICIENT_CREDITS", message: "Needs 8 credits, you have 3.", details: { required: 8, available: 3 } },
    });
    const error = parseErrorResponse(402, body);
    expect(error).toBeInstanceOf(BackgroundRemoverError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: "BackgroundRemoverError",
      code: "INSUFFICIENT_CREDITS",
      status: 402,
      message: "Needs 8 credits, you have 3.",
      details: { required: 8, available: 3 },
    });
    expect(error.retryAfterSeconds).toBeNull();
  });

  it("takes Retry-After from the header, else from the details", () => {
    const body = JSON.stringify({
      success: false,
      error: { code: "RATE_LIMITED", message: "Slow down.", details: { retryAfterSeconds: 17 } },
    });
    expect(parseErrorResponse(429, body, "30").retryAfterSeconds).toBe(30);
    expect(parseErrorResponse(429, body).retryAfterSeconds).toBe(17);
  });

  it("copes with the framework's own JSON and with non-JSON answers", () => {
    const framework = parseErrorResponse(
      413,
      JSON.stringify({
        statusCode: 413,
        code: "FST_ERR_CTP_BODY_TOO_LARGE",
        error: "Payload Too Large",
        message: "Request body is too large",
      }),
    );
    expect(framework).toMatchObject({ code: "FST_ERR_CTP_BODY_TOO_LARGE", status: 413, message: "Request body is too large" });
    const proxy = parseErrorResponse(502, "<html>Bad Gateway</html>");
    expect(proxy).toMatchObject({ code: "HTTP_ERROR", status: 502 });
    expect(proxy.message).toContain("502");
    expect(proxy.message).toContain("Bad Gateway");
    expect(parseErrorResponse(500, "").message).toMatch(/empty body/);
  });
});

describe("parseDataResponse", () => {
  it("returns `data` of a success and throws the error of anything else", () => {
    expect(parseDataResponse(201, JSON.stringify({ success: true, data: { batchId: "b1" } }))).toEqual({ batchId: "b1" });
    expect(() =>
      parseDataResponse(400, JSON.stringify({ success: false, error: { code: "INVALID_TIER", message: "No tier mega." } })),
    ).toThrow(expect.objectContaining({ code: "INVALID_TIER", status: 400 }));
    expect(() => parseDataResponse(200, "<html>login page</html>")).toThrow(expect.objectContaining({ code: "HTTP_ERROR", status: 200 }));
  });
});

describe("isBackgroundRemoverError", () => {
  it("narrows, optionally to one code and its details", () => {
    const error: unknown = new BackgroundRemoverError("INSUFFICIENT_CREDITS", "x", { status: 402, details: { required: 8, available: 3 } });
    expect(isBackgroundRemoverError(error)).toBe(true);
    expect(isBackgroundRemoverError(error, "INVALID_TIER")).toBe(false);
    expect(isBackgroundRemoverError(new Error("x"))).toBe(false);
    if (isBackgroundRemoverError(error, "INSUFFICIENT_CREDITS")) {
      expectTypeOf(error.details).toEqualTypeOf<{ required: number; available: number }>();
      expect(error.details.required - error.details.available).toBe(5);
    }
  });

  it("documents details that the server's error type can actually carry", () => {
    // Drift guard: each hand-written detail shape must still be one the router's error shape allows.
    type ServerDetails = NonNullable<inferRouterError<AppRouter>["data"]["details"]>;
    expectTypeOf<ErrorDetailsByCode[keyof ErrorDetailsByCode]>().toMatchTypeOf<ServerDetails>();
  });
});

describe("toBackgroundRemoverError", () => {
  it("maps a TRPCClientError by its domain code, status and details", () => {
    const trpcError = TRPCClientError.from<AppRouter>({
      error: {
        message: "No batch b1 in your account.",
        code: -32004,
        data: { code: "NOT_FOUND", httpStatus: 404, path: "batch.get", domainCode: "NOT_FOUND", details: null },
      },
    } as never);
    const error = toBackgroundRemoverError(trpcError);
    expect(error).toMatchObject({ code: "NOT_FOUND", status: 404, message: "No batch b1 in your account.", details: undefined });
    expect(error.cause).toBe(trpcError);
  });

  it("falls back to tRPC's code when no business rule was involved", () => {
    const trpcError = TRPCClientError.from<AppRouter>({
      error: {
        message: "Sign in.",
        code: -32001,
        data: { code: "UNAUTHORIZED", httpStatus: 401, path: "account.me", domainCode: null, details: null },
      },
    } as never);
    expect(toBackgroundRemoverError(trpcError)).toMatchObject({ code: "UNAUTHORIZED", status: 401 });
  });

  it("calls a tRPC failure without an answer a network error, and keeps its own errors", () => {
    const offline = TRPCClientError.from(new TypeError("fetch failed"));
    expect(toBackgroundRemoverError(offline)).toMatchObject({ code: "NETWORK_ERROR", status: null });
    const own = new BackgroundRemoverError("TIMEOUT", "late");
    expect(toBackgroundRemoverError(own)).toBe(own);
    expect(toBackgroundRemoverError(new DOMException("stop", "AbortError"))).toMatchObject({ code: "ABORTED" });
    expect(toBackgroundRemoverError("weird")).toMatchObject({ code: "UNKNOWN", message: "weird" });
  });
});
