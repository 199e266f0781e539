import { describe, expect, it } from "vitest";
import { ERROR_TABLE, errorRowOf } from "../src/error-table.ts";
import { DOMAIN_ERROR_CODES } from "../src/errors.ts";

describe("the error table", () => {
  it("gives every domain code a client or server error status, a tRPC code and a sentence that says what to do", () => {
    expect(Object.keys(ERROR_TABLE).sort()).toEqual([...DOMAIN_ERROR_CODES].sort());
    for (const [code, row] of Object.entries(ERROR_TABLE)) {
      expect(row.http, code).toBeGreaterThanOrEqual(400);
      expect(row.http, code).toBeLessThan(600);
      expect(row.trpc, code).toMatch(/^[A-Z_]+$/);
      expect(row.message, code).toMatch(/\.$/);
    }
  });

  it("finds the row of a code a server sent, and none for other codes", () => {
    expect(errorRowOf("INSUFFICIENT_CREDITS")).toMatchObject({ http: 402, trpc: "PAYMENT_REQUIRED" });
    expect(errorRowOf("FILE_EXPIRED")).toMatchObject({ http: 410, trpc: "NOT_FOUND" });
    expect(errorRowOf("INTERNAL")).toBeNull();
    // Inherited names are not codes.
    expect(errorRowOf("toString")).toBeNull();
  });
});
