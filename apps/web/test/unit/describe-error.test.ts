import { ERROR_TABLE } from "@bgr/domain/error-table";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, apiErrorFromResponse } from "../../src/api/errors.ts";
import { en } from "../../src/i18n/en.ts";
import { i18n } from "../../src/i18n/i18n.ts";
import { id } from "../../src/i18n/id.ts";
import { describeError, fileReasons } from "../../src/lib/describe-error.ts";

afterEach(() => void i18n.changeLanguage("en"));

describe("describeError", () => {
  it("words a 402 with both numbers", () => {
    const error = apiErrorFromResponse(
      402,
      { success: false, error: { code: "INSUFFICIENT_CREDITS", message: "x", details: { required: 720, available: 500 } } },
      null,
    );
    expect(describeError(error)).toBe("Not enough credits: this needs 720, you have 500. Top up your credits or pick a cheaper tier.");
  });

  it("says how long to wait on 429 and 503, from Retry-After or the details", () => {
    const limited = apiErrorFromResponse(429, { success: false, error: { code: "RATE_LIMITED", message: "x" } }, "42");
    expect(describeError(limited)).toBe("Too many removals in a short time: wait 42 seconds and try again.");
    const busy = apiErrorFromResponse(
      503,
      { success: false, error: { code: "BUSY", message: "x", details: { retryAfterSeconds: 120 } } },
      null,
    );
    expect(describeError(busy)).toBe("The server is busy with other images: try again in 2 minutes.");
  });

  it("keeps the server's own wording for a 400, and explains network failures, 401 and 5xx", () => {
    const bad = apiErrorFromResponse(
      400,
      { success: false, error: { code: "INVALID_IMAGE", message: "This file is not an image we can read." } },
      null,
    );
    expect(describeError(bad)).toBe("This file is not an image we can read.");
    expect(describeError(new ApiError(0, "NETWORK", "Failed to fetch"))).toMatch(/Could not reach the server/);
    expect(describeError(new ApiError(401, "UNAUTHORIZED", "x"))).toMatch(/Sign in again/);
    expect(describeError(apiErrorFromResponse(500, "<html>", null))).toMatch(/Something went wrong on our side/);
    expect(describeError(new ApiError(0, "ABORTED", "x"))).toBe("Upload cancelled.");
  });

  it("reads per-file reasons of a refused batch", () => {
    const reasons = fileReasons({ files: [{ name: "a.jpg", reason: "Not an image." }, { nope: 1 }] });
    expect([...reasons]).toEqual([["a.jpg", "Not an image."]]);
    expect(fileReasons(null).size).toBe(0);
  });
});

describe("the server's errors in Indonesian", () => {
  const codes = Object.keys(ERROR_TABLE) as (keyof typeof ERROR_TABLE)[];

  it("has an English and an Indonesian sentence for every domain error code", () => {
    expect(codes.length).toBeGreaterThan(20);
    const missing = codes.filter((code) => !en.errorCodes[code]?.trim() || !id.errorCodes[code]?.trim());
    expect(missing).toEqual([]);
    // Translated, not copied: no Indonesian sentence is the English one.
    expect(codes.filter((code) => id.errorCodes[code] === en.errorCodes[code])).toEqual([]);
    expect(Object.keys(id.errorCodes).sort()).toEqual([...codes].sort());
  });

  it("words every code in Indonesian on an Indonesian page, never the server's English message", async () => {
    await i18n.changeLanguage("id");
    for (const code of codes) {
      const status = ERROR_TABLE[code].http;
      const said = describeError(apiErrorFromResponse(status, { success: false, error: { code, message: "Server English." } }, null));
      expect(said, code).not.toContain("Server English.");
      expect(said, code).not.toBe("");
    }
    const options = apiErrorFromResponse(400, { success: false, error: { code: "INVALID_OPTIONS", message: "Unknown format." } }, null);
    expect(describeError(options)).toBe(id.errorCodes.INVALID_OPTIONS);
    const odd = apiErrorFromResponse(400, { success: false, error: { code: "INVALID_RANGE", message: "Send one range." } }, null);
    expect(describeError(odd)).toBe(id.errors.unknown);
    expect([...fileReasons({ files: [{ name: "a.jpg", reason: "Not an image." }] })]).toEqual([["a.jpg", id.errors.fileRefused]]);
  });

  it("keeps the server's more specific English on an English page", () => {
    const options = apiErrorFromResponse(400, { success: false, error: { code: "INVALID_OPTIONS", message: "Unknown format." } }, null);
    expect(describeError(options)).toBe("Unknown format.");
    const bare = apiErrorFromResponse(404, { success: false, error: { code: "NOT_FOUND", message: "" } }, null);
    expect(describeError(bare)).toBe(ERROR_TABLE.NOT_FOUND.message);
  });
});
