import { parseSettings } from "@bgr/domain";
import { describe, expect, it } from "vitest";
import { DEFAULT_HTTP_POLICY, describeProviders, providersConfigOf, providersSettingsSchema } from "../src/index.ts";

const readProvidersConfig = (env: Record<string, string | undefined>) =>
  providersConfigOf(parseSettings(providersSettingsSchema, env, "Remote provider settings are invalid"));

describe("providersSettingsSchema", () => {
  it("defaults to the documented services and models, with no key and no tier mapped", () => {
    const config = readProvidersConfig({});
    expect(config.huggingface).toEqual({
      apiKey: null,
      baseUrl: "https://router.huggingface.co/hf-inference/models",
      model: "briaai/RMBG-1.4",
    });
    expect(config.segmind).toEqual({ apiKey: null, baseUrl: "https://api.segmind.com/v1", model: "bg-removal-v2" });
    expect(config.tiers).toEqual({});
    expect(config.http).toEqual(DEFAULT_HTTP_POLICY);
  });

  it("reads every variable, trimming, and treats empty values as unset", () => {
    const config = readProvidersConfig({
      HUGGINGFACE_API_KEY: " hf_abc ",
      HUGGINGFACE_API_URL: "http://127.0.0.1:9000/models",
      HUGGINGFACE_MODEL: "briaai/RMBG-2.0",
      SEGMIND_API_KEY: "",
      SEGMIND_API_URL: "  ",
      SEGMIND_MODEL: "birefnet-general",
      REMOTE_PROVIDER_TIERS: " professional = huggingface , industry=segmind,",
    });
    expect(config.huggingface).toEqual({ apiKey: "hf_abc", baseUrl: "http://127.0.0.1:9000/models", model: "briaai/RMBG-2.0" });
    expect(config.segmind).toEqual({ apiKey: null, baseUrl: "https://api.segmind.com/v1", model: "birefnet-general" });
    expect(config.tiers).toEqual({ professional: "huggingface", industry: "segmind" });
  });

  it.each([
    ["ultra=huggingface", /unknown tier "ultra".*REMOTE_PROVIDER_TIERS=professional=huggingface,industry=segmind/s],
    ["basic=replicate", /unknown provider "replicate" for tier basic.*providers: huggingface, segmind/s],
    ["basic", /"basic" is not a tier=provider pair/],
    ["basic=segmind=x", /not a tier=provider pair/],
    ["basic=segmind,basic=huggingface", /tier basic is given twice/],
  ])("refuses REMOTE_PROVIDER_TIERS=%j and says what to write", (value, message) => {
    expect(() => readProvidersConfig({ REMOTE_PROVIDER_TIERS: value })).toThrow(message);
  });

  it("refuses a base URL that is not http(s), naming the variable and the default", () => {
    expect(() => readProvidersConfig({ SEGMIND_API_URL: "api.segmind.com/v1" })).toThrow(
      /SEGMIND_API_URL="api.segmind.com\/v1" is not an http\(s\) URL: write e.g. https:\/\/api.segmind.com\/v1/,
    );
  });

  it("lists every problem at once", () => {
    expect(() => readProvidersConfig({ HUGGINGFACE_API_URL: "ftp://x", REMOTE_PROVIDER_TIERS: "gold=segmind" })).toThrow(
      /HUGGINGFACE_API_URL[\s\S]*unknown tier "gold"/,
    );
  });
});

describe("describeProviders", () => {
  it("says when nothing is remote", () => {
    expect(describeProviders(readProvidersConfig({}))).toMatch(/none .*every tier runs on the local model/);
  });

  it("names each mapping, and the ones idle for want of a key", () => {
    const line = describeProviders(
      readProvidersConfig({ HUGGINGFACE_API_KEY: "k", REMOTE_PROVIDER_TIERS: "professional=huggingface,industry=segmind" }),
    );
    expect(line).toContain("professional -> huggingface (briaai/RMBG-1.4, local fallback)");
    expect(line).toContain("industry -> local (segmind mapped but SEGMIND_API_KEY is not set)");
    expect(line).toContain("basic, standard -> local");
  });
});
