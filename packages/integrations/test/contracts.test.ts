import { describe, expect, it } from "vitest";
import { parseSettings } from "@bgr/domain";
import { lumikuAppsConfigOf, lumikuAppsSettingsSchema, safeFileName } from "../src/index.ts";
import { resolveConfig } from "../src/lumiku-apps.config.ts";
import { resolveImageUrl } from "../src/sibling-contracts.ts";

const readLumikuAppsConfig = (env: Record<string, string | undefined>) =>
  lumikuAppsConfigOf(parseSettings(lumikuAppsSettingsSchema, env, "Invalid Lumiku apps configuration"));

describe("lumikuAppsSettingsSchema", () => {
  it("reads the four URLs and the media hosts; empty means unset", () => {
    const config = readLumikuAppsConfig({
      LUMIKU_AVATAR_CREATOR_URL: "http://avatar-creator:3000/api/apps/avatar-creator/",
      LUMIKU_CAROUSEL_MIX_URL: "",
      LUMIKU_IMAGE_UPSCALER_URL: " https://upscaler.internal/api ",
      LUMIKU_MEDIA_HOSTS: "cdn.lumiku.com, media.example.org:8443,,",
    });
    expect(config).toEqual({
      baseUrls: {
        "avatar-creator": "http://avatar-creator:3000/api/apps/avatar-creator",
        "image-upscaler": "https://upscaler.internal/api",
      },
      mediaHosts: ["cdn.lumiku.com", "media.example.org:8443"],
    });
  });

  it("reads LUMIKU_TIMEOUT_SECONDS as the headers and body timeouts", () => {
    expect(readLumikuAppsConfig({ LUMIKU_TIMEOUT_SECONDS: "2.5" }).timeouts).toEqual({ headersMs: 2500, bodyMs: 2500 });
    expect(() => readLumikuAppsConfig({ LUMIKU_TIMEOUT_SECONDS: "soon" })).toThrow(
      /LUMIKU_TIMEOUT_SECONDS must be a positive number of seconds/,
    );
  });

  it("names every invalid variable at once", () => {
    const read = () =>
      readLumikuAppsConfig({
        LUMIKU_AVATAR_CREATOR_URL: "//avatar-creator:3000/api",
        LUMIKU_POSE_GENERATOR_URL: "avatar-creator:3000",
        LUMIKU_IMAGE_UPSCALER_URL: "http://upscaler/api?x=1",
        LUMIKU_CAROUSEL_MIX_URL: "http://user:pw@mix/api",
        LUMIKU_MEDIA_HOSTS: "https://cdn.lumiku.com/images",
        LUMIKU_TIMEOUT_SECONDS: "0",
      });
    expect(read).toThrow(/LUMIKU_AVATAR_CREATOR_URL is not a valid URL/);
    expect(read).toThrow(/LUMIKU_POSE_GENERATOR_URL must be an http:\/\/ or https:\/\/ URL, not "avatar-creator:3000"/);
    expect(read).toThrow(/LUMIKU_IMAGE_UPSCALER_URL must not have a query string/);
    expect(read).toThrow(/LUMIKU_CAROUSEL_MIX_URL must not contain credentials/);
    expect(read).toThrow(/LUMIKU_MEDIA_HOSTS entry "https:\/\/cdn.lumiku.com\/images" is not a host\[:port\]/);
    expect(read).toThrow(/LUMIKU_TIMEOUT_SECONDS must be a positive number/);
  });

  it("parses media host ports, including the default one written out", () => {
    expect(resolveConfig({ baseUrls: {}, mediaHosts: ["CDN.example.com", "cdn.example.com:80", "[::1]:9000"] }).mediaHosts).toEqual([
      { hostname: "cdn.example.com", port: null },
      { hostname: "cdn.example.com", port: 80 },
      { hostname: "[::1]", port: 9000 },
    ]);
  });

  it("rejects nonsense timeouts", () => {
    expect(() => resolveConfig({ baseUrls: {}, timeouts: { headersMs: 0 } })).toThrow(/timeouts.headersMs must be a positive number/);
  });
});

describe("contract helpers", () => {
  it.each([
    ["photo.png", "photo.png"],
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\me\\avatar.jpg", "avatar.jpg"],
    ["..hidden.png", "hidden.png"],
    ["tab\there\u0000.png", "tabhere.png"],
    ['what?*"<>|.png', "what.png"],
    ["", "id-1.png"],
    [undefined, "id-1.png"],
    ["/", "id-1.png"],
    ["..", "id-1.png"],
  ])("safeFileName(%j) → %j", (name, expected) => {
    expect(safeFileName(name, "id-1")).toBe(expected);
  });

  it("keeps the extension of a long name, and makes a fallback from an unsafe id", () => {
    const long = safeFileName(`${"x".repeat(300)}.webp`, "id");
    expect(long).toHaveLength(120);
    expect(long.endsWith(".webp")).toBe(true);
    expect(safeFileName(null, "../a/b")).toBe("_a_b.png");
  });

  it("resolves image URLs under the base URL", () => {
    const base = new URL("http://avatar-creator:3000/api/apps/avatar-creator");
    expect(resolveImageUrl("files/a.png", base)).toBe("http://avatar-creator:3000/api/apps/avatar-creator/files/a.png");
    expect(resolveImageUrl("/media/a.png", base)).toBe("http://avatar-creator:3000/media/a.png");
    expect(resolveImageUrl("https://cdn.lumiku.com/a.png", base)).toBe("https://cdn.lumiku.com/a.png");
  });
});
