import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { deriveSecrets } from "@bgr/core";
import { backgroundRemovalBatches, backgroundRemovalJobs, creditLedger, users } from "@bgr/db";
import { makePng, oversizedPng, startFakeLumikuApps, type FakeLumikuApps } from "@bgr/testing";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startCallbackReceiver, startTestServer, type CallbackReceiver, type TestServer } from "./harness.ts";

let fake: FakeLumikuApps;
let receiver: CallbackReceiver;
let server: TestServer;
let photo: Buffer;
let truncated: Buffer;

beforeAll(async () => {
  fake = await startFakeLumikuApps();
  receiver = await startCallbackReceiver();
  server = await startTestServer({
    CALLBACK_TRUSTED_HOSTS: receiver.host,
    RUN_WORKER: "true",
    BATCH_RATE_LIMIT_PER_HOUR: "100",
    LUMIKU_AVATAR_CREATOR_URL: fake.baseUrls["avatar-creator"],
    LUMIKU_CAROUSEL_MIX_URL: fake.baseUrls["carousel-mix"],
    LUMIKU_POSE_GENERATOR_URL: fake.baseUrls["pose-generator"],
    LUMIKU_IMAGE_UPSCALER_URL: fake.baseUrls["image-upscaler"],
    LUMIKU_TIMEOUT_SECONDS: "1",
  });
  // Small images keep the CPU inference quick; the integration path is what is under test.
  photo = await sharp(await readFile(path.join(DEV_DATA, "gc-teddy.jpg")))
    .resize({ width: 320 })
    .jpeg()
    .toBuffer();
  // Header fine, data cut: passes every check before the charge, fails in the engine.
  truncated = photo.subarray(0, Math.floor(photo.length / 3));
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
  await receiver?.close();
});

async function call(token: string, route: string, body?: unknown) {
  const response = await fetch(`${server.api}${route}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function money(userId: string) {
  const { db } = server.database;
  const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  const ledger = await db.select().from(creditLedger).where(eq(creditLedger.userId, userId));
  return { balance: user!.balance, ledgerSum: ledger.reduce((sum, row) => sum + row.delta, 0) };
}

async function workOf(userId: string) {
  const { db } = server.database;
  const jobs = await db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.userId, userId));
  const batches = await db.select().from(backgroundRemovalBatches).where(eq(backgroundRemovalBatches.userId, userId));
  return { jobs, batches };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not settle: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(new URL(url, server.url));
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** Entry count from a ZIP's end-of-central-directory record. */
function zipEntryCount(zip: Buffer): number {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  return zip.readUInt16LE(end + 10);
}

describe("POST /integrations/avatar-creator/batch", () => {
  it("turns the caller's project into an ordinary batch: priced once, processed, zipped, a failed item refunded", async () => {
    const token = await server.userWithCredits("ava", 50);
    fake.addProject("avatar-creator", {
      id: "p-ava",
      owner: "ava",
      images: [
        { id: "a1", name: "alice.jpg", bytes: photo },
        { id: "a2", bytes: await sharp(photo).png().toBuffer(), urlStyle: "relative" },
        { id: "a3", name: "broken.jpg", bytes: truncated },
      ],
    });
    const created = await call(token, "/integrations/avatar-creator/batch", { projectId: "p-ava", tier: "basic" });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ projectId: "p-ava", jobId: null, totalAvatars: 3, totalCredits: 9, discountPercentage: 0 });
    // The caller's own token went to the sibling app, which decided ownership.
    expect(fake.requestsTo(fake.paths.project("avatar-creator", "p-ava"))[0]!.authorization).toBe(`Bearer ${token}`);
    expect(await money("ava")).toEqual({ balance: 41, ledgerSum: 41 });

    const batchId = created.body.data.batchId as string;
    const batch = await waitFor(
      async () => (await call(token, `/batch/${batchId}`)).body.data,
      (b) => b.status === "completed",
      "batch",
    );
    expect(batch.progress).toMatchObject({ processedImages: 2, failedImages: 1 });
    expect(batch.source).toEqual({ app: "avatar-creator", ref: "p-ava" });
    const zip = await download(batch.zipUrl);
    expect(zipEntryCount(zip)).toBe(2);
    // The failed item's share comes back: 9 charged, 3 refunded.
    expect(await money("ava")).toEqual({ balance: 44, ledgerSum: 44 });
    const { batches } = await workOf("ava");
    expect(batches[0]).toMatchObject({ sourceApp: "avatar-creator", sourceRef: "p-ava" });
  });

  it("makes a project of one image a single removal job", async () => {
    const token = await server.userWithCredits("solo", 10);
    fake.addProject("avatar-creator", { id: "p-solo", owner: "solo", images: [{ id: "only", name: "me.jpg", bytes: photo }] });
    const { status, body } = await call(token, "/integrations/avatar-creator/batch", { projectId: "p-solo", tier: "basic" });
    expect(status).toBe(201);
    expect(body.data).toMatchObject({
      batchId: null,
      projectId: "p-solo",
      totalAvatars: 1,
      totalCredits: 3,
      discountPercentage: 0,
      status: "completed",
    });
    const job = (await call(token, `/jobs/${body.data.jobId}`)).body.data;
    expect(job).toMatchObject({ status: "completed", source: { app: "avatar-creator", ref: "p-solo" } });
    expect(await money("solo")).toEqual({ balance: 7, ledgerSum: 7 });
  });
});

describe("POST /integrations/carousel-mix/batch", () => {
  it("prices 20 slides with the volume discount of the table (5 %)", async () => {
    const token = await server.userWithCredits("cara", 100);
    const slide = await makePng(64, 48, "#884422");
    fake.addProject("carousel-mix", {
      id: "deck",
      owner: "cara",
      images: Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, bytes: slide, position: 20 - i })),
    });
    const { status, body } = await call(token, "/integrations/carousel-mix/batch", { projectId: "deck", tier: "basic" });
    expect(status).toBe(201);
    expect(body.data).toMatchObject({ projectId: "deck", totalSlides: 20, totalCredits: 57, discountPercentage: 5 });
    const cancelled = await fetch(`${server.api}/batch/${body.data.batchId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(cancelled.status).toBe(200);
    const { balance, ledgerSum } = await money("cara");
    expect(balance).toBe(ledgerSum);
    expect(balance).toBeGreaterThanOrEqual(43);
  });
});

describe("sibling failures before any work", () => {
  it("answers each with its status and charges nothing", async () => {
    const token = await server.userWithCredits("unlucky", 30);
    const project = (id: string, images: Parameters<FakeLumikuApps["addProject"]>[1]["images"]) =>
      fake.addProject("avatar-creator", { id, owner: "unlucky", images });
    fake.addProject("avatar-creator", {
      id: "not-yours",
      owner: "someone-else",
      images: [
        { id: "x", bytes: photo },
        { id: "y", bytes: photo },
      ],
    });
    project("down", [{ id: "d1", bytes: photo }]);
    fake.inject(fake.paths.project("avatar-creator", "down"), { type: "status", status: 500 });
    project("slow", [{ id: "s1", bytes: photo }]);
    fake.inject(fake.paths.project("avatar-creator", "slow"), { type: "delay", ms: 4000 });
    project("big", [
      { id: "ok", bytes: photo },
      { id: "huge", name: "huge.png", bytes: oversizedPng() },
    ]);
    project("html", [
      { id: "ok", bytes: photo },
      { id: "page", name: "page.png", bytes: photo, contentType: "text/html" },
    ]);
    project("cut", [
      { id: "ok", bytes: photo },
      { id: "cut", name: "cut.jpg", bytes: photo, failures: [{ type: "truncate" }] },
    ]);
    const [elsewhere] = project("elsewhere", [
      { id: "e1", bytes: photo },
      { id: "e2", bytes: photo },
    ]);
    project("elsewhere-2", [
      { id: "e1", bytes: photo },
      { id: "e2", bytes: photo, imageUrl: elsewhere!.url.replace("127.0.0.1", "127.0.0.2") },
    ]);
    project("metadata", [
      { id: "m1", bytes: photo },
      { id: "m2", bytes: photo, imageUrl: "http://169.254.169.254/latest/meta-data/x.png" },
    ]);
    const [redirected] = project("redirect", [
      { id: "r1", bytes: photo },
      { id: "r2", bytes: photo },
    ]);
    fake.inject(redirected!.path, { type: "redirect", location: "http://127.0.0.2:9/x.png" });
    project("empty", []);

    const cases: [string, number, string][] = [
      ["not-yours", 404, "NOT_FOUND"],
      ["no-such-project", 404, "NOT_FOUND"],
      ["down", 502, "UPSTREAM_FAILED"],
      ["slow", 504, "UPSTREAM_TIMEOUT"],
      ["big", 400, "INVALID_FILES"],
      ["html", 400, "INVALID_FILES"],
      ["cut", 400, "INVALID_FILES"],
      ["elsewhere-2", 502, "UPSTREAM_FAILED"],
      ["metadata", 502, "UPSTREAM_FAILED"],
      ["redirect", 502, "UPSTREAM_FAILED"],
      ["empty", 400, "INVALID_IMAGE_COUNT"],
    ];
    const outcomes = [];
    for (const [projectId] of cases) {
      const { status, body } = await call(token, "/integrations/avatar-creator/batch", { projectId, tier: "basic" });
      outcomes.push([projectId, status, body.error?.code]);
    }
    expect(outcomes).toEqual(cases);
    // Every file problem is named, so the user knows which image to replace.
    const big = await call(token, "/integrations/avatar-creator/batch", { projectId: "big", tier: "basic" });
    expect(big.body.error.details.files).toEqual([{ name: "huge.png", reason: expect.stringContaining("10") }]);
    expect(await money("unlucky")).toEqual({ balance: 30, ledgerSum: 30 });
    expect(await workOf("unlucky")).toEqual({ jobs: [], batches: [] });
  });

  it("refuses what it can before calling the sibling: unknown tier, bad body, not enough credits", async () => {
    const token = await server.userWithCredits("poor", 5);
    fake.addProject("carousel-mix", {
      id: "pricey",
      owner: "poor",
      images: [
        { id: "1", bytes: photo },
        { id: "2", bytes: photo },
      ],
    });
    fake.clearRequests();
    expect((await call(token, "/integrations/carousel-mix/batch", { projectId: "pricey", tier: "ultra" })).body.error.code).toBe(
      "INVALID_TIER",
    );
    expect((await call(token, "/integrations/carousel-mix/batch", { tier: "basic" })).status).toBe(400);
    expect(fake.requests).toEqual([]);
    const poor = await call(token, "/integrations/carousel-mix/batch", { projectId: "pricey", tier: "basic" });
    expect(poor.status).toBe(402);
    expect(poor.body.error.details).toEqual({ required: 6, available: 5 });
    // The project was listed, but no image was downloaded for a batch that could not be paid.
    expect(fake.requests.map((r) => r.path)).toEqual([fake.paths.project("carousel-mix", "pricey")]);
    expect(await money("poor")).toEqual({ balance: 5, ledgerSum: 5 });
  });

  it("retries a sibling's passing 5xx and then succeeds", async () => {
    const token = await server.userWithCredits("patient", 10);
    fake.addProject("avatar-creator", { id: "flaky", owner: "patient", images: [{ id: "f", bytes: photo }] });
    fake.inject(fake.paths.project("avatar-creator", "flaky"), { type: "status", status: 503, times: 2 });
    const { status } = await call(token, "/integrations/avatar-creator/batch", { projectId: "flaky", tier: "basic" });
    expect(status).toBe(201);
    expect(fake.requestsTo(fake.paths.project("avatar-creator", "flaky"))).toHaveLength(3);
  });

  it("answers 501 for an app this deployment is not connected to", async () => {
    const bare = await startTestServer({}, server.database);
    try {
      const token = await bare.userWithCredits("lonely", 10);
      const response = await fetch(`${bare.api}/integrations/pose-generator/auto-remove`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ generatedImageId: "g1" }),
      });
      const body = (await response.json()) as any;
      expect(response.status).toBe(501);
      expect(body.error).toMatchObject({ code: "NOT_CONFIGURED", message: expect.stringContaining("LUMIKU_POSE_GENERATOR_URL") });
    } finally {
      await bare.close();
    }
  });
});

describe("POST /integrations/pose-generator/auto-remove", () => {
  it("removes the generated image's background, charges a single standard removal and calls back, signed", async () => {
    const token = await server.userWithCredits("poser", 20);
    fake.addGeneratedImage("poser", { id: "gen-1", name: "pose.jpg", bytes: photo });
    const { received } = receiver;
    const callbackUrl = `http://${receiver.host}/done`;
    const { status, body } = await call(token, "/integrations/pose-generator/auto-remove", { generatedImageId: "gen-1", callbackUrl });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({
      generatedImageId: "gen-1",
      status: "completed",
      tier: "standard",
      creditsUsed: 8,
      pricingType: "credits",
    });
    const cutout = await sharp(await download(body.data.processedUrl))
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const alpha = Array.from({ length: cutout.info.width * cutout.info.height }, (_, i) => cutout.data[i * 4 + 3]!);
    expect(alpha.some((a) => a === 0) && alpha.some((a) => a === 255)).toBe(true);
    expect(await money("poser")).toEqual({ balance: 12, ledgerSum: 12 });

    await waitFor(
      async () => received.length,
      (n) => n > 0,
      "callback",
      30_000,
    );
    const { body: sent, signature } = received[0]!;
    expect(JSON.parse(sent)).toMatchObject({
      event: "job.completed",
      data: { jobId: body.data.jobId, source: { app: "pose-generator", ref: "gen-1" } },
    });
    expect(signature).toBe(`sha256=${createHmac("sha256", deriveSecrets(server.env.JWT_SECRET!).callbacks).update(sent).digest("hex")}`);
  });

  it("is the same as a tRPC procedure, and another user's image is a 404 there too", async () => {
    const token = await server.userWithCredits("trpc-poser", 20);
    fake.addGeneratedImage("trpc-poser", { id: "gen-2", bytes: photo });
    fake.addGeneratedImage("someone-else", { id: "gen-3", bytes: photo });
    const mutate = (input: object) =>
      fetch(`${server.url}/api/trpc/integrations.poseAutoRemove`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(input),
      });
    const ok = await mutate({ generatedImageId: "gen-2", tier: "basic" });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).result.data).toMatchObject({ status: "completed", creditsUsed: 3 });
    const theirs = await mutate({ generatedImageId: "gen-3", tier: "basic" });
    expect(theirs.status).toBe(404);
    expect(((await theirs.json()) as any).error.data.domainCode).toBe("NOT_FOUND");
    expect(await money("trpc-poser")).toEqual({ balance: 17, ledgerSum: 17 });
  });
});

describe("POST /integrations/image-upscaler/pipeline", () => {
  async function settledJob(token: string, jobId: string) {
    return waitFor(
      async () => (await call(token, `/jobs/${jobId}`)).body.data,
      (job) => job.status === "completed" || job.status === "failed",
      "pipeline job",
    );
  }

  it("remove-then-upscale: charges the removal once, upscales the cutout, shows both URLs", async () => {
    const token = await server.userWithCredits("ulla", 20);
    fake.addUpscalerImage("ulla", { id: "img-1", name: "shoe.jpg", bytes: photo });
    const upscalesBefore = fake.upscaleCount;
    const { status, body } = await call(token, "/integrations/image-upscaler/pipeline", {
      imageId: "img-1",
      pipeline: "remove-then-upscale",
      removalTier: "basic",
      upscaleFactor: 2,
    });
    expect(status).toBe(202);
    expect(body.data).toMatchObject({
      imageId: "img-1",
      pipeline: "remove-then-upscale",
      removalTier: "basic",
      upscaleFactor: 2,
      status: "pending",
      creditsUsed: 3,
    });
    const job = await settledJob(token, body.data.jobId);
    expect(job).toMatchObject({ status: "completed", pipeline: { order: "remove-then-upscale", upscaleFactor: 2 } });
    const original = await sharp(photo).metadata();
    const intermediate = await sharp(await download(job.pipeline.intermediateUrl)).metadata();
    const final = await sharp(await download(job.pipeline.finalUrl)).metadata();
    expect([intermediate.width, intermediate.hasAlpha]).toEqual([original.width, true]);
    expect([final.width, final.height, final.hasAlpha]).toEqual([original.width! * 2, original.height! * 2, true]);
    expect(fake.upscaleCount - upscalesBefore).toBe(1);
    // The upscaler billed the user itself, on their own token.
    expect(fake.requestsTo(fake.paths.upscale).at(-1)).toMatchObject({
      authorization: `Bearer ${token}`,
      idempotencyKey: `${job.jobId}:upscale`,
    });
    expect(await money("ulla")).toEqual({ balance: 17, ledgerSum: 17 });
  });

  it("upscale-then-remove: removes the background of the upscaled image", async () => {
    const token = await server.userWithCredits("uwe", 20);
    fake.addUpscalerImage("uwe", { id: "img-2", bytes: photo });
    const { status, body } = await call(token, "/integrations/image-upscaler/pipeline", {
      imageId: "img-2",
      pipeline: "upscale-then-remove",
      removalTier: "basic",
      upscaleFactor: 2,
    });
    expect(status).toBe(202);
    const job = await settledJob(token, body.data.jobId);
    const original = await sharp(photo).metadata();
    const intermediate = await sharp(await download(job.pipeline.intermediateUrl)).metadata();
    expect(job.status).toBe("completed");
    expect(intermediate.width).toBe(original.width! * 2);
    expect(job.metadata).toMatchObject({ width: original.width! * 2, height: original.height! * 2, format: "png" });
    expect(await money("uwe")).toEqual({ balance: 17, ledgerSum: 17 });
  });

  it("refunds the removal when the upscaler refuses, and refuses for free an upscale the removal could not take", async () => {
    const token = await server.userWithCredits("ursula", 20);
    fake.addUpscalerImage("ursula", { id: "img-3", bytes: photo });
    fake.inject(fake.paths.upscale, { type: "status", status: 403, times: 1 });
    const { body } = await call(token, "/integrations/image-upscaler/pipeline", {
      imageId: "img-3",
      pipeline: "remove-then-upscale",
      removalTier: "basic",
      upscaleFactor: 4,
    });
    const job = await settledJob(token, body.data.jobId);
    expect(job).toMatchObject({ status: "failed", refunded: true, pipeline: { intermediateUrl: expect.any(String), finalUrl: null } });
    expect(await money("ursula")).toEqual({ balance: 20, ledgerSum: 20 });

    fake.addUpscalerImage("ursula", { id: "poster", bytes: await makePng(2000, 1600) });
    const tooBig = await call(token, "/integrations/image-upscaler/pipeline", {
      imageId: "poster",
      pipeline: "upscale-then-remove",
      removalTier: "basic",
      upscaleFactor: 4,
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error).toMatchObject({ code: "INVALID_OPTIONS", message: expect.stringContaining("remove-then-upscale") });
    const badFactor = await call(token, "/integrations/image-upscaler/pipeline", {
      imageId: "img-3",
      pipeline: "remove-then-upscale",
      upscaleFactor: 3,
    });
    expect(badFactor.body.error).toMatchObject({
      code: "INVALID_OPTIONS",
      message: expect.stringContaining("upscaleFactor must be 2 or 4"),
    });
    expect(await money("ursula")).toEqual({ balance: 20, ledgerSum: 20 });
    // The sealed token is gone once the job settled.
    const [row] = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, job.jobId));
    expect(row!.sealedAuthorization).toBeNull();
  });
});
