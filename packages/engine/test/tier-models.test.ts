import { describe, expect, it } from "vitest";
import { parseTierModels } from "../src/index.ts";

describe("parseTierModels", () => {
  it("reads tier=model+model lists, best first, ignoring spaces and empty pairs", () => {
    expect(parseTierModels(" industry = birefnet-portrait + isnet-fp16 , basic=isnet-fp16,")).toEqual({
      industry: ["birefnet-portrait", "isnet-fp16"],
      basic: ["isnet-fp16"],
    });
    expect(parseTierModels("")).toEqual({});
  });

  it.each([
    ["gold=isnet-fp16", /Unknown tier "gold"/],
    ["basic", /"basic" is not tier=model\+model/],
    ["basic=a+", /is not tier=model\+model/],
    ["basic=a=b", /is not tier=model\+model/],
    ["basic=a,basic=b", /Tier basic is listed twice/],
  ])("refuses %j and says what to write", (text, message) => {
    expect(() => parseTierModels(text)).toThrow(message);
    expect(() => parseTierModels(text)).toThrow(/e\.g\. industry=birefnet-portrait\+isnet-fp16/);
  });
});
