import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_IMAGE_BYTES, type LumikuApps, type SiblingImage } from "../src/index.ts";
import { fakeBearerToken, makePng, oversizedPng, startFakeLumikuApps, type FakeImage, type FakeLumikuApps } from "@bgr/testing";
import { appsFor, failure } from "./helpers.ts";

const ALICE = fakeBearerToken("alice");

let fake: FakeLumikuApps;
/** Another server: a different origin that is not configured anywhere. */
let elsewhere: FakeLumikuApps;
let apps: LumikuApps;
let png: Buffer;
let projectCount = 0;

beforeAll(async () => {
  [fake, elsewhere] = await Promise.all([startFakeLumikuApps(), startFakeLumikuApps()]);
  apps = appsFor(fake);
  png = await makePng(16, 16);
});
afterEach(() => {
  fake.clearFailures();
  fake.clearRequests();
  elsewhere.clearRequests();
});
afterAll(async () => {
  await apps.close();
  await Promise.all([fake.close(), elsewhere.close()]);
});

/** Registers a one-image avatar project for alice on `server` and returns the image as listed by the adapter. */
async function listed(image: Partial<FakeImage>, client: LumikuApps = apps, server: FakeLumikuApps = fake): Promise<SiblingImage> {
  const id = `p-${++projectCount}`;
  server.addProject("avatar-creator", { id, owner: "alice", images: [{ id: "img", name: "portrait.png", bytes: png, ...image }] });
  const [first] = await client.projectImages("avatar-creator", id, ALICE);
  server.clearRequests();
  return first!;
}

describe("downloads", () => {
  it("downloads an image from the app's origin with the caller's token", async () => {
    const image = await listed({});
    const result = await apps.download("avatar-creator", image, ALICE);
    expect(result.bytes.equals(png)).toBe(true);
    expect(result.contentType).toBe("image/png");
    expect(fake.requests.map((r) => r.authorization)).toEqual([ALICE]);
  });

  it.each(["relative", "root-relative"] as const)("resolves a %s imageUrl against the base URL", async (urlStyle) => {
    const image = await listed({ urlStyle });
    expect(image.url).toMatch(new RegExp(`^${fake.origin}/avatar-creator/files/\\d+$`));
    expect((await apps.download("avatar-creator", image, ALICE)).bytes.equals(png)).toBe(true);
  });

  it("names the format from the bytes, not the header", async () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    const image = await listed({ bytes: jpeg, contentType: "image/png" });
    expect((await apps.download("avatar-creator", image, ALICE)).contentType).toBe("image/jpeg");
  });

  it("retries a 500 twice and then gets the image", async () => {
    const image = await listed({ failures: [{ type: "status", status: 500, times: 2 }] });
    expect((await apps.download("avatar-creator", image, ALICE)).bytes.equals(png)).toBe(true);
    expect(fake.requests).toHaveLength(3);
  });
});

describe("bad images", () => {
  it("refuses an image over 10 MB announced by Content-Length before reading its body, without retrying", async () => {
    // The body stalls half-way: only a refusal on the header can be quick.
    const image = await listed({ bytes: oversizedPng(DEFAULT_MAX_IMAGE_BYTES + 1), failures: [{ type: "stall-body", ms: 3_000 }] });
    const started = Date.now();
    const error = await failure(apps.download("avatar-creator", image, ALICE), "bad-image");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error.imageName).toBe("portrait.png");
    expect(error.message).toMatch(/^"portrait\.png" is larger than 10 MB/);
    expect(fake.requests).toHaveLength(1);
  });

  it("accepts an image of exactly 10 MB", async () => {
    const image = await listed({ bytes: oversizedPng(DEFAULT_MAX_IMAGE_BYTES) });
    expect((await apps.download("avatar-creator", image, ALICE)).bytes.length).toBe(DEFAULT_MAX_IMAGE_BYTES);
  });

  it("stops reading a streamed image at the cap", async () => {
    const image = await listed({ bytes: oversizedPng(DEFAULT_MAX_IMAGE_BYTES + 100_000), failures: [{ type: "chunked" }] });
    await failure(apps.download("avatar-creator", image, ALICE), "bad-image");
    expect(fake.requests).toHaveLength(1);
  });

  it("stops an endless image and closes its connection", async () => {
    const image = await listed({ failures: [{ type: "endless" }] });
    const error = await failure(apps.download("avatar-creator", image, ALICE), "bad-image");
    expect(error.message).toContain("larger than 10 MB");
    const [request] = fake.requests;
    await expect.poll(() => request!.closed, { timeout: 5_000 }).toBe(true);
    // Everything past the cap that was sent sat in socket buffers; the client kept none of it.
    expect(request!.bytesSent).toBeGreaterThan(DEFAULT_MAX_IMAGE_BYTES);
  });

  it("honours a smaller maxImageBytes", async () => {
    const small = appsFor(fake, { maxImageBytes: png.length - 1 });
    try {
      const image = await listed({}, small);
      const error = await failure(small.download("avatar-creator", image, ALICE), "bad-image");
      expect(error.message).toContain("is larger than");
    } finally {
      await small.close();
    }
  });

  it.each([
    ["a text/html answer", { contentType: "text/html" }, 'is not an image (the server sent "text/html")'],
    ["an injected content type", { failures: [{ type: "content-type", contentType: "application/json" }] }, '"application/json"'],
    [
      "SVG",
      { bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), contentType: "image/svg+xml" },
      "is not a PNG, JPEG, WebP, GIF, AVIF/HEIF or TIFF image",
    ],
    ["random bytes", { bytes: Buffer.from("definitely not pixels"), contentType: "image/png" }, "is not a PNG"],
  ] satisfies Array<[string, Partial<FakeImage>, string]>)("refuses %s, without retrying", async (_case, overrides, detail) => {
    const image = await listed(overrides);
    const error = await failure(apps.download("avatar-creator", image, ALICE), "bad-image");
    expect(error.message).toContain(detail);
    expect(error.message).toContain('"portrait.png"');
    expect(fake.requests).toHaveLength(1);
  });

  it("retries a truncated image and gets the whole one", async () => {
    const image = await listed({ failures: [{ type: "truncate", times: 1 }] });
    expect((await apps.download("avatar-creator", image, ALICE)).bytes.equals(png)).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });

  it("reports an image that keeps arriving truncated as bad-image", async () => {
    const image = await listed({ failures: [{ type: "truncate" }] });
    const error = await failure(apps.download("avatar-creator", image, ALICE), "bad-image");
    expect(error.message).toMatch(/^"portrait\.png" arrived incomplete from Avatar Creator \(3 attempts\)/);
    expect(fake.requests).toHaveLength(3);
  });

  it("reports a vanished image as not-found and an unreachable one as unavailable", async () => {
    const gone = await listed({ failures: [{ type: "status", status: 404 }] });
    expect((await failure(apps.download("avatar-creator", gone, ALICE), "not-found")).imageName).toBe("portrait.png");
    const down = await listed({ failures: [{ type: "status", status: 502 }] });
    expect((await failure(apps.download("avatar-creator", down, ALICE), "unavailable")).status).toBe(502);
  });
});

describe("SSRF guard", () => {
  it("refuses an imageUrl on another host, which is never contacted", async () => {
    const [target] = elsewhere.addProject("avatar-creator", { id: "x", owner: "alice", images: [{ id: "x", bytes: png }] });
    const image = await listed({ imageUrl: target!.url });
    const error = await failure(apps.download("avatar-creator", image, ALICE), "refused");
    expect(error.imageName).toBe("portrait.png");
    expect(error.message).toContain(`${elsewhere.origin.replace("http://", "")} is neither a Lumiku app nor a configured media host`);
    expect(error.message).toContain("LUMIKU_MEDIA_HOSTS");
    expect(elsewhere.requests).toEqual([]);
  });

  it("fetches from another host once it is a configured sibling app, forwarding the token", async () => {
    const [target] = elsewhere.addProject("avatar-creator", { id: "y", owner: "alice", images: [{ id: "y", bytes: png }] });
    const withOther = appsFor(fake, { baseUrls: { ...fake.baseUrls, "image-upscaler": elsewhere.baseUrls["image-upscaler"] } });
    try {
      const image = await listed({ imageUrl: target!.url }, withOther);
      expect((await withOther.download("avatar-creator", image, ALICE)).bytes.equals(png)).toBe(true);
      expect(elsewhere.requests.map((r) => r.authorization)).toEqual([ALICE]);
    } finally {
      await withOther.close();
    }
  });

  it("fetches from a media host without sending it the token", async () => {
    // A media host on a sibling app's host name is trusted like the app: the only way to reach one locally.
    const [target] = elsewhere.addProject("avatar-creator", { id: "cdn", owner: "alice", images: [{ id: "c", bytes: png, public: true }] });
    const withCdn = appsFor(fake, { mediaHosts: [new URL(elsewhere.origin).host] });
    try {
      const image = await listed({ imageUrl: target!.url }, withCdn);
      expect((await withCdn.download("avatar-creator", image, ALICE)).bytes.equals(png)).toBe(true);
      expect(elsewhere.requests.map((r) => r.authorization)).toEqual([undefined]);
    } finally {
      await withCdn.close();
    }
  });

  it.each([
    ["cloud metadata", "http://169.254.169.254/latest/meta-data/"],
    ["a file: URL", "file:///etc/passwd"],
    ["a data: URL", "data:image/png;base64,iVBORw0KGgo="],
    ["an ftp: URL", "ftp://127.0.0.1/image.png"],
  ])("refuses %s", async (_case, imageUrl) => {
    const image = await listed({ imageUrl });
    await failure(apps.download("avatar-creator", image, ALICE), "refused");
  });

  it("refuses credentials in the URL even on the app's origin", async () => {
    const image = await listed({});
    const withCredentials = { ...image, url: image.url.replace("http://", "http://user:pw@") };
    await failure(apps.download("avatar-creator", withCredentials, ALICE), "refused");
    expect(fake.requests).toEqual([]);
  });

  it("refuses a media host whose name resolves to a private address (DNS check)", async () => {
    const port = new URL(fake.origin).port;
    const viaDns = appsFor(fake, { mediaHosts: [`localhost:${port}`] });
    try {
      const listedImage = await listed({}, viaDns);
      const image = await listed({ imageUrl: listedImage.url.replace("127.0.0.1", "localhost") }, viaDns);
      const error = await failure(viaDns.download("avatar-creator", image, ALICE), "refused");
      expect(error.message).toMatch(/localhost resolves to a private or reserved network address \((127\.0\.0\.1|::1)\)/);
      expect(fake.requests).toEqual([]);
    } finally {
      await viaDns.close();
    }
  });

  it.each([
    ["an IPv4 literal", "127.0.0.2", "127.0.0.2"],
    ["an IPv4-mapped IPv6 literal", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"],
    ["cloud metadata", "169.254.169.254", "169.254.169.254"],
  ])("refuses a media host that is %s of a private address", async (_case, host, shown) => {
    const port = new URL(fake.origin).port;
    const literal = appsFor(fake, { mediaHosts: [`${host}:${port}`] });
    try {
      const registered = await listed({}, literal);
      const image = await listed({ imageUrl: registered.url.replace("127.0.0.1", host) }, literal);
      const error = await failure(literal.download("avatar-creator", image, ALICE), "refused");
      expect(error.message).toContain(`${shown} is a private or reserved network address`);
      expect(fake.requests).toEqual([]);
    } finally {
      await literal.close();
    }
  });

  it("follows a redirect to an allowed origin", async () => {
    const [target] = fake.addProject("avatar-creator", { id: "r-target", owner: "alice", images: [{ id: "t", bytes: png }] });
    const image = await listed({ bytes: Buffer.from("not the image"), failures: [{ type: "redirect", location: target!.path }] });
    expect((await apps.download("avatar-creator", image, ALICE)).bytes.equals(png)).toBe(true);
    expect(fake.requests.map((r) => [r.path, r.authorization])).toEqual([
      [new URL(image.url).pathname, ALICE],
      [target!.path, ALICE],
    ]);
  });

  it("refuses a redirect to another host without contacting it", async () => {
    const [target] = elsewhere.addProject("avatar-creator", { id: "z", owner: "alice", images: [{ id: "z", bytes: png }] });
    const image = await listed({ failures: [{ type: "redirect", location: target!.url }] });
    const error = await failure(apps.download("avatar-creator", image, ALICE), "refused");
    expect(error.message).toContain("it was redirected to");
    expect(elsewhere.requests).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it("refuses a redirect to cloud metadata", async () => {
    const image = await listed({ failures: [{ type: "redirect", location: "http://169.254.169.254/latest/meta-data/", status: 307 }] });
    await failure(apps.download("avatar-creator", image, ALICE), "refused");
  });

  it("stops after three redirects", async () => {
    const image = await listed({});
    const path = new URL(image.url).pathname;
    fake.inject(path, { type: "redirect", location: path });
    const error = await failure(apps.download("avatar-creator", image, ALICE), "refused");
    expect(error.message).toContain("more than 3 redirects");
    expect(fake.requests).toHaveLength(4);
  });

  it("refuses a listing redirected to another host", async () => {
    const path = fake.paths.project("avatar-creator", "p-redirected");
    fake.inject(path, { type: "redirect", location: `${elsewhere.origin}/avatar-creator/projects/p/avatars` });
    await failure(apps.projectImages("avatar-creator", "p-redirected", ALICE), "refused");
    expect(elsewhere.requests).toEqual([]);
  });
});
