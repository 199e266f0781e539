import { describe, expect, it } from "vitest";
import { BATCH_NAME_MAX_LENGTH, parseBatchName } from "../src/batch-names.ts";
import { DomainError } from "../src/errors.ts";

describe("parseBatchName", () => {
  it("trims, collapses whitespace, and reads empty as no name", () => {
    expect(parseBatchName("  Summer \t catalogue\n ")).toBe("Summer catalogue");
    expect(parseBatchName("   ")).toBeNull();
    expect(parseBatchName(undefined)).toBeNull();
  });

  it("refuses control characters and names over the limit, saying what to do", () => {
    expect(() => parseBatchName("shoes\u0000")).toThrow(DomainError);
    expect(() => parseBatchName("shoes\u0000")).toThrow(/control characters/);
    expect(parseBatchName("é".repeat(BATCH_NAME_MAX_LENGTH))).toHaveLength(BATCH_NAME_MAX_LENGTH);
    expect(() => parseBatchName("a".repeat(BATCH_NAME_MAX_LENGTH + 1))).toThrow(`shorten it to ${BATCH_NAME_MAX_LENGTH} or fewer`);
  });
});
