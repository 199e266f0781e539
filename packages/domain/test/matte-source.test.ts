import { describe, expect, it } from "vitest";
import { formatMatteSource, parseMatteSource } from "../src/matte-source.ts";

describe("matte sources", () => {
  it.each([
    ["local:isnet-fp16", { provider: "local", model: "isnet-fp16" }],
    ["huggingface:briaai/RMBG-1.4", { provider: "huggingface", model: "briaai/RMBG-1.4" }],
    ["segmind:a:b", { provider: "segmind", model: "a:b" }],
    ["external", { provider: "external", model: null }],
    ["local:", { provider: "local", model: null }],
  ])("splits %s into provider and model", (source, expected) => {
    expect(parseMatteSource(source)).toEqual(expected);
  });

  it("joins them back as they were written", () => {
    for (const source of ["local:isnet-int8-qdq", "image-upscaler", "huggingface:briaai/RMBG-1.4"])
      expect(formatMatteSource(parseMatteSource(source))).toBe(source);
  });
});
