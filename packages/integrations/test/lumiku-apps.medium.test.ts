import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LumikuApps, type SiblingImage } from "../src/index.ts";
import { fakeBearerToken, makePng, startFakeLumikuApps, type FakeLumikuApps } from "@bgr/testing";
import { appsFor, failure } from "./helpers.ts";

const ALICE = fakeBearerToken("alice");
const BOB = fakeBearerToken("bob");

let fake: FakeLumikuApps;
let apps: LumikuApps;
let png: Buffer;

beforeAll(async () => {
  fake = await startFakeLumikuApps();
  apps = appsFor(fake);
  png = await makePng();
  fake.addProject("avatar-creator", {
    id: "proj-1",
    owner: "alice",
    images: [
      { id: "av-1", name: "Alice smiling.png", bytes: png },
      { id: "av-2", bytes: png },
      { id: "av-3", name: "../../etc/passwd", bytes: png },
    ],
  });
  fake.addProject("carousel-mix", {
    id: "mix-1",
    owner: "alice",
    images: [
      { id: "s-c", name: "third.png", bytes: png, position: 3 },
      { id: "s-a", name: "first.png", bytes: png, position: 1 },
      { id: "s-b", name: "second.png", bytes: png, position: 2 },
    ],
  });
  fake.addGeneratedImage("alice", { id: "gen-1", name: "pose.png", bytes: png });
  fake.addUpscalerImage("alice", { id: "img-1", name: "big.png", bytes: png });
});
afterEach(() => {
  fake.clearFailures();
  fake.clearRequests();
});
afterAll(async () => {
  await apps.close();
  await fake.close();
});

describe("contracts", () => {
  it("lists an avatar-creator project with absolute URLs, fallback and sanitized names", async () => {
    const images = await apps.projectImages("avatar-creator", "proj-1", ALICE);
    expect(images.map((i) => [i.id, i.name])).toEqual([
      ["av-1", "Alice smiling.png"],
      ["av-2", "av-2.png"],
      ["av-3", "passwd"],
    ]);
    for (const image of images) expect(image.url).toMatch(new RegExp(`^${fake.origin}/avatar-creator/files/\\d+$`));
  });

  it("forwards the caller's Authorization header exactly", async () => {
    await apps.projectImages("avatar-creator", "proj-1", ALICE);
    expect(fake.requestsTo(fake.paths.project("avatar-creator", "proj-1")).map((r) => r.authorization)).toEqual([ALICE]);
  });

  it("keeps carousel-mix slides in position order", async () => {
    const slides = await apps.projectImages("carousel-mix", "mix-1", ALICE);
    expect(slides.map((s) => s.name)).toEqual(["first.png", "second.png", "third.png"]);
  });

  it("reads a pose-generator generation and an image-upscaler image", async () => {
    const generated = await apps.generatedImage("gen-1", ALICE);
    expect(generated).toMatchObject({ id: "gen-1", name: "pose.png" });
    const image = await apps.upscalerImage("img-1", ALICE);
    expect(image).toMatchObject({ id: "img-1", name: "big.png" });
    const downloaded = await apps.download("pose-generator", generated, ALICE);
    expect(downloaded.bytes.equals(png)).toBe(true);
    expect(downloaded.contentType).toBe("image/png");
  });

  it("encodes ids as one path segment and refuses dot segments", async () => {
    await failure(apps.projectImages("avatar-creator", "a/b?c", ALICE), "not-found");
    expect(fake.requests.map((r) => r.path)).toEqual(["/avatar-creator/projects/a%2Fb%3Fc/avatars"]);
    fake.clearRequests();
    await failure(apps.generatedImage("..", ALICE), "not-found");
    await failure(apps.generatedImage("%2E%2e", ALICE), "not-found");
    await failure(apps.generatedImage("", ALICE), "not-found");
    expect(fake.requests).toEqual([]);
  });
});

describe("ownership and configuration", () => {
  it("turns the sibling's 404 for another user's project into not-found, without retrying", async () => {
    const error = await failure(apps.projectImages("avatar-creator", "proj-1", BOB), "not-found");
    expect(error).toMatchObject({ app: "avatar-creator", status: 404 });
    expect(error.message).toContain('Avatar Creator has no project "proj-1" for your account');
    await failure(apps.generatedImage("gen-1", BOB), "not-found");
    await failure(apps.upscalerImage("img-1", BOB), "not-found");
    expect(fake.requests).toHaveLength(3);
  });

  it("does not let another user download the owner's file", async () => {
    const [image] = await apps.projectImages("avatar-creator", "proj-1", ALICE);
    const error = await failure(apps.download("avatar-creator", image!, BOB), "not-found");
    expect(error.imageName).toBe("Alice smiling.png");
  });

  it("reports a token the sibling refuses as forbidden, with the sibling's reason", async () => {
    const error = await failure(apps.projectImages("avatar-creator", "proj-1", "Bearer not-a-jwt"), "forbidden");
    expect(error.status).toBe(401);
    expect(error.message).toContain("Sign in to Lumiku again");
    expect(error.message).toContain("missing or invalid token");
    fake.inject(fake.paths.generation("gen-1"), { type: "status", status: 403 });
    expect((await failure(apps.generatedImage("gen-1", ALICE), "forbidden")).status).toBe(403);
    expect(fake.requests).toHaveLength(2);
  });

  it("answers not-configured, naming the variable, for an app without a URL", async () => {
    const partial = new LumikuApps({ baseUrls: { "avatar-creator": fake.baseUrls["avatar-creator"] } });
    try {
      expect(partial.isConfigured("avatar-creator")).toBe(true);
      expect(partial.isConfigured("pose-generator")).toBe(false);
      const error = await failure(partial.generatedImage("gen-1", ALICE), "not-configured");
      expect(error.message).toContain("LUMIKU_POSE_GENERATOR_URL");
      await failure(partial.projectImages("carousel-mix", "mix-1", ALICE), "not-configured");
      await failure(partial.download("image-upscaler", { id: "x", name: "x.png", url: `${fake.origin}/x` }, ALICE), "not-configured");
      expect(fake.requests).toEqual([]);
    } finally {
      await partial.close();
    }
  });
});

describe("retries and timeouts", () => {
  const path = () => fake.paths.project("avatar-creator", "proj-1");

  it("retries 500s and succeeds on the third attempt", async () => {
    fake.inject(path(), { type: "status", status: 500, times: 2 });
    expect(await apps.projectImages("avatar-creator", "proj-1", ALICE)).toHaveLength(3);
    expect(fake.requestsTo(path())).toHaveLength(3);
  });

  it("gives up after the configured attempts with unavailable and the status", async () => {
    fake.inject(path(), { type: "status", status: 503 });
    const error = await failure(apps.projectImages("avatar-creator", "proj-1", ALICE), "unavailable");
    expect(error.status).toBe(503);
    expect(error.message).toContain("Try again in a few minutes");
    expect(fake.requestsTo(path())).toHaveLength(3);
  });

  it("honours a custom number of attempts", async () => {
    const once = appsFor(fake, { retries: { attempts: 1, baseDelayMs: 0 } });
    try {
      fake.inject(path(), { type: "status", status: 500, times: 1 });
      await failure(once.projectImages("avatar-creator", "proj-1", ALICE), "unavailable");
      expect(fake.requestsTo(path())).toHaveLength(1);
    } finally {
      await once.close();
    }
  });

  it("never retries a 4xx", async () => {
    fake.inject(path(), { type: "status", status: 400 });
    await failure(apps.projectImages("avatar-creator", "proj-1", ALICE), "bad-response");
    fake.clearFailures();
    fake.inject(path(), { type: "status", status: 429 });
    await failure(apps.projectImages("avatar-creator", "proj-1", ALICE), "unavailable");
    expect(fake.requestsTo(path())).toHaveLength(2);
  });

  it("retries a dropped connection, then reports unavailable", async () => {
    fake.inject(path(), { type: "reset", times: 1 });
    expect(await apps.projectImages("avatar-creator", "proj-1", ALICE)).toHaveLength(3);
    fake.inject(path(), { type: "reset" });
    await failure(apps.projectImages("avatar-creator", "proj-1", ALICE), "unavailable");
    expect(fake.requestsTo(path())).toHaveLength(2 + 3);
  });

  // undici's headers and body timers tick every ~0.5 s, so a 300 ms timeout fires within about 1.3 s:
  // the fake is slower than that, and the assertions on elapsed time prove we did not wait for it.
  it("reports a slow app as timeout after retrying", async () => {
    fake.inject(path(), { type: "delay", ms: 3_000 });
    const started = Date.now();
    await failure(apps.projectImages("avatar-creator", "proj-1", ALICE), "timeout");
    expect(fake.requestsTo(path())).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it("succeeds when only the first answer is slow", async () => {
    fake.inject(path(), { type: "delay", ms: 3_000, times: 1 });
    const started = Date.now();
    expect(await apps.projectImages("avatar-creator", "proj-1", ALICE)).toHaveLength(3);
    expect(fake.requestsTo(path())).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it("times out a body that stalls", async () => {
    fake.inject(path(), { type: "stall-body", ms: 3_000 });
    await failure(apps.projectImages("avatar-creator", "proj-1", ALICE), "timeout");
    expect(fake.requestsTo(path())).toHaveLength(3);
  });

  it("unreachable app: unavailable", async () => {
    const closed = await startFakeLumikuApps();
    const baseUrls = closed.baseUrls;
    await closed.close();
    const dead = new LumikuApps({ baseUrls, retries: { attempts: 2, baseDelayMs: 1 } });
    try {
      await failure(dead.generatedImage("gen-1", ALICE), "unavailable");
    } finally {
      await dead.close();
    }
  });
});

describe("bad responses", () => {
  const path = () => fake.paths.project("carousel-mix", "mix-1");
  const list = () => apps.projectImages("carousel-mix", "mix-1", ALICE);

  it.each([
    ["not JSON", "<html>oops</html>", "not JSON"],
    ["not an envelope", "[1,2]", "not a JSON object"],
    ["success false", JSON.stringify({ success: false, error: "database down" }), "database down"],
    ["no list", JSON.stringify({ success: true, data: { projectId: "mix-1" } }), '"data.slides" is not a list'],
    [
      "no imageUrl",
      JSON.stringify({ success: true, data: { slides: [{ id: "a", position: 1 }] } }),
      '"data.slides[0].imageUrl" is missing',
    ],
    ["no position", JSON.stringify({ success: true, data: { slides: [{ id: "a", imageUrl: "/x.png" }] } }), "position"],
    ["no id", JSON.stringify({ success: true, data: { slides: [{ imageUrl: "/x.png", position: 1 }] } }), '"data.slides[0].id" is missing'],
  ])("%s → bad-response, not retried", async (_case, body, detail) => {
    fake.inject(path(), { type: "body", body });
    const error = await failure(list(), "bad-response");
    expect(error.message).toContain(detail);
    expect(fake.requestsTo(path())).toHaveLength(1);
  });

  it("retries a truncated answer and succeeds when the next one is whole", async () => {
    fake.inject(path(), { type: "truncate", times: 1 });
    expect(await list()).toHaveLength(3);
    expect(fake.requestsTo(path())).toHaveLength(2);
  });

  it("reports an answer that keeps arriving truncated as bad-response", async () => {
    fake.inject(path(), { type: "truncate" });
    const error = await failure(list(), "bad-response");
    expect(error.message).toContain("arrived incomplete");
    expect(fake.requestsTo(path())).toHaveLength(3);
  });

  it("accepts numeric ids", async () => {
    fake.inject(path(), {
      type: "body",
      body: JSON.stringify({ success: true, data: { slides: [{ id: 7, imageUrl: "files/7", position: 0 }] } }),
    });
    expect(await list()).toEqual<SiblingImage[]>([{ id: "7", name: "7.png", url: `${fake.baseUrls["carousel-mix"]}/files/7` }]);
  });
});

describe("close", () => {
  it("releases pooled connections and refuses later calls", async () => {
    const own = appsFor(fake);
    await own.projectImages("avatar-creator", "proj-1", ALICE);
    await own.generatedImage("gen-1", ALICE);
    const before = await fake.openConnections();
    expect(before).toBeGreaterThan(0);
    await own.close();
    await expect.poll(() => fake.openConnections(), { timeout: 2_000 }).toBeLessThan(before);
    await expect(own.generatedImage("gen-1", ALICE)).rejects.toThrow(/closed/);
    await own.close();
  });
});
