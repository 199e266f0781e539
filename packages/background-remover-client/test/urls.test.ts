import { API_PREFIX, TRPC_PATH as SERVER_TRPC_PATH } from "@bgr/domain/api-prefix";
import { describe, expect, it } from "vitest";
import { isWithinBase, joinUrl, normalizeBaseUrl, resolveUrl, REST_PREFIX, TRPC_PATH } from "../src/urls.ts";

// The published client carries no @bgr package at run time, so it keeps its own copy of the mount
// points; this pins them to the server's one definition.
describe("mount points", () => {
  it("are the server's", () => {
    expect(REST_PREFIX).toBe(API_PREFIX);
    expect(TRPC_PATH).toBe(SERVER_TRPC_PATH);
  });
});

describe("normalizeBaseUrl", () => {
  it("drops trailing slashes and keeps a proxy path prefix", () => {
    expect(normalizeBaseUrl("http://127.0.0.1:3000/")).toBe("http://127.0.0.1:3000");
    expect(normalizeBaseUrl("https://lumiku.example/bgr//")).toBe("https://lumiku.example/bgr");
    expect(normalizeBaseUrl("https://lumiku.example")).toBe("https://lumiku.example");
  });

  it("refuses what cannot be a base URL, saying what to pass", () => {
    expect(() => normalizeBaseUrl("127.0.0.1:3000")).toThrow(/absolute|http/);
    expect(() => normalizeBaseUrl("/api")).toThrow(/absolute/);
    expect(() => normalizeBaseUrl("ftp://host")).toThrow(/http\(s\)/);
    expect(() => normalizeBaseUrl("http://host/?x=1")).toThrow(/query/);
  });
});

describe("joinUrl", () => {
  it("puts exactly one slash between the parts", () => {
    expect(joinUrl("http://h", "/api/trpc")).toBe("http://h/api/trpc");
    expect(joinUrl("http://h/", "api/trpc")).toBe("http://h/api/trpc");
    expect(joinUrl("http://h/p//", "//x")).toBe("http://h/p/x");
  });
});

describe("resolveUrl", () => {
  const base = "https://lumiku.example/bgr";

  it("resolves the server's paths against the base URL, path prefix included", () => {
    expect(resolveUrl(base, "/api/apps/background-remover/files/u/j.png?expires=1&signature=s")).toBe(
      "https://lumiku.example/bgr/api/apps/background-remover/files/u/j.png?expires=1&signature=s",
    );
  });

  it("passes absolute http(s) links through and refuses other schemes", () => {
    expect(resolveUrl(base, "https://cdn.example/x.png")).toBe("https://cdn.example/x.png");
    expect(() => resolveUrl(base, "file:///etc/passwd")).toThrow(/http/);
    expect(() => resolveUrl(base, "//evil.example/x")).toThrow(/Protocol-relative/);
  });
});

describe("isWithinBase", () => {
  it("is true only on the same origin under the base path", () => {
    expect(isWithinBase("http://h:3000", "http://h:3000/api/x")).toBe(true);
    expect(isWithinBase("http://h:3000", "http://h:3001/api/x")).toBe(false);
    expect(isWithinBase("http://h/bgr", "http://h/bgr/api/x")).toBe(true);
    expect(isWithinBase("http://h/bgr", "http://h/bgr2/api/x")).toBe(false);
    expect(isWithinBase("http://h/bgr", "http://evil.example/bgr/api/x")).toBe(false);
  });
});
