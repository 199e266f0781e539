import { describe, expect, it } from "vitest";
import { isDomainError } from "../src/errors.ts";
import { API_KEY_SCOPES, assertScope, parseScopes } from "../src/scopes.ts";

describe("API key scopes", () => {
  it("parses known scopes, collapsing duplicates into the vocabulary's order", () => {
    expect(parseScopes(["keys", "removal", "keys"])).toEqual(["removal", "keys"]);
    expect(parseScopes([...API_KEY_SCOPES])).toEqual([...API_KEY_SCOPES]);
  });

  it("refuses unknown or no scopes, naming the choices", () => {
    expect(() => parseScopes(["admin"])).toThrow(/Unknown scope "admin".*removal, billing, keys/);
    expect(() => parseScopes([])).toThrow(/at least one scope/);
  });

  it("assertScope passes a granted scope and refuses another with INSUFFICIENT_SCOPE and its facts", () => {
    expect(() => assertScope(["removal"], "removal")).not.toThrow();
    let caught: unknown;
    try {
      assertScope(["removal"], "billing");
    } catch (error) {
      caught = error;
    }
    expect(isDomainError(caught, "INSUFFICIENT_SCOPE")).toBe(true);
    expect((caught as { details: unknown }).details).toEqual({ required: "billing", granted: ["removal"] });
    expect((caught as Error).message).toMatch(/lacks the "billing" scope/);
  });
});
