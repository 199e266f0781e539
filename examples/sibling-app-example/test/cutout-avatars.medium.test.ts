// End to end, as another Lumiku app sees it: the real server in its own process on a fresh
// PostgreSQL database, reached only through @lumiku/background-remover-client.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import { ownerFromBearerJwt, startFakeLumikuApps, type FakeLumikuApps } from "@bgr/testing";
import {
  BackgroundRemoverError,
  createBackgroundRemoverClient,
  isBackgroundRemoverError,
  isTRPCClientError,
  type BackgroundRemoverClient,
  type BatchView,
  type Tier,
} from "@lumiku/background-remover-client";
import { fileFromPath, filesFromPaths } from "@lumiku/background-remover-client/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cutOutAvatar, cutOutAvatarFiles, planAvatarBatch, removeProjectBackgrounds } from "../src/index.ts";
import { pngAlpha, zipEntries } from "./image-checks.ts";
import { platformToken } from "./platform-token.ts";
import { admin, REPO_ROOT, startServerProcess, type ServerProcess } from "./server-process.ts";
import { evalData } from "@bgr/testing";

const DEV_DATA = evalData("dev");
// Small photos, basic tier (3 credits each): the engine is CPU inference.
const PORTRAIT = path.join(DEV_DATA, "gc-teddy.jpg");
const BATCH_PHOTOS = ["gc-teddy.jpg", "gc-189080.jpg", "gc-37073.jpg"].map((name) => path.join(DEV_DATA, name));
const USER = "avatar-studio-user";
const STARTING_CREDITS = 30;

const jwtSecret = randomBytes(32).toString("hex");
let fakeApps: FakeLumikuApps | undefined;
let database: TestDatabase | undefined;
let dataDir: string | undefined;
let server: ServerProcess | undefined;
let env: Record<string, string>;
let client: BackgroundRemoverClient;
let apiKey: string;

beforeAll(async () => {
  // Avatar Creator (a fake of its docs/integrations.md contract) is up before the server that is configured to call it.
  fakeApps = await startFakeLumikuApps();
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "bgr-sibling-"));
  env = {
    DATABASE_URL: database.url,
    JWT_SECRET: jwtSecret,
    FILE_LINK_SECRET: "sibling-example-file-link-secret",
    DATA_DIR: dataDir,
    MODEL_CACHE_DIR: path.join(REPO_ROOT, "data/models"),
    RUN_WORKER: "true",
    REMOVAL_WORKERS: "1",
    WORKER_CONCURRENCY: "1",
    LUMIKU_AVATAR_CREATOR_URL: fakeApps.baseUrls["avatar-creator"],
  };
  server = await startServerProcess(env);
  // Credits the way an operator grants them; the account and an API key for server-to-server calls.
  expect(await admin(env, ["create-user", USER, "--credits", String(STARTING_CREDITS)])).toContain(`${STARTING_CREDITS} credits`);
  apiKey = /^(bgr_\S+)$/m.exec(await admin(env, ["api-key", USER, "--name", "avatar studio"]))?.[1] ?? "";
  expect(apiKey).toMatch(/^bgr_/);
  client = createBackgroundRemoverClient({ url: server.url, token: () => platformToken(USER, jwtSecret) });
});

afterAll(async () => {
  // Each step runs even when an earlier one failed, so no server process or database is left behind.
  try {
    await server?.stop();
  } finally {
    try {
      await database?.close();
    } finally {
      try {
        await fakeApps?.close();
      } finally {
        if (dataDir) await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
});

async function balance(of: BackgroundRemoverClient = client): Promise<number> {
  return (await of.trpc.account.me.query()).creditBalance;
}

describe("a sibling Lumiku app using @lumiku/background-remover-client", () => {
  it("reads the account through tRPC with a platform token it minted itself", async () => {
    const account = await client.trpc.account.me.query();
    expect(account).toMatchObject({ userId: USER, role: "user", creditBalance: STARTING_CREDITS });
    expect(await client.trpc.pricing.tiers.query()).toMatchObject({ basic: 3 });
  });

  it("removes one background and downloads a PNG with a transparent background", async () => {
    const before = await balance();
    const { job, png } = await cutOutAvatar(client, await fileFromPath(PORTRAIT));
    expect(job).toMatchObject({
      status: "completed",
      tier: "basic",
      creditsUsed: 3,
      pricingType: "credits",
      originalFileName: "gc-teddy.jpg",
      batchId: null,
    });
    expect(job.processedUrl).toMatch(/^\/api\/apps\/background-remover\/files\/.+\?expires=\d+&signature=/);

    const alpha = pngAlpha(png);
    expect(alpha.hasAlphaChannel).toBe(true);
    expect([alpha.width, alpha.height]).toEqual([job.metadata.width, job.metadata.height]);
    // A cut-out: the background is gone (transparent) and the subject stays (opaque).
    expect(alpha.transparent).toBeGreaterThan(0.1);
    expect(alpha.opaque).toBeGreaterThan(0.1);

    const again = await client.trpc.jobs.get.query({ jobId: job.jobId });
    expect(again).toMatchObject({ jobId: job.jobId, status: "completed" });
    expect(await balance()).toBe(before - 3);
  });

  it("runs a batch with the API key, waits for it and downloads its ZIP", async () => {
    const service = createBackgroundRemoverClient({ url: server!.url, apiKey });
    const before = await balance(service);
    const plan = await planAvatarBatch(service, "basic", BATCH_PHOTOS.length);
    expect(plan).toEqual({ price: 9, balance: before, affordable: true });

    const seen: BatchView[] = [];
    const { batch, zip } = await cutOutAvatarFiles(service, BATCH_PHOTOS, {
      tier: "basic",
      onProgress: (b) => seen.push(b),
      timeoutMs: 240_000,
    });
    expect(batch).toMatchObject({
      status: "completed",
      totalImages: 3,
      progress: { totalImages: 3, processedImages: 3, failedImages: 0, percentage: 100 },
    });
    expect(batch.pricing.finalTotal).toBe(9);
    expect(batch.items?.map((item) => item.status)).toEqual(["completed", "completed", "completed"]);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.at(-1)?.status).toBe("completed");

    const entries = zipEntries(zip);
    expect(entries.map((e) => e.name).sort()).toEqual(["removed-gc-189080.png", "removed-gc-37073.png", "removed-gc-teddy.png"]);
    for (const entry of entries) expect(pngAlpha(entry.data).transparent, entry.name).toBeGreaterThan(0.05);
    // The same ZIP through its signed link.
    expect(Buffer.from(await service.download(batch.zipUrl!)).equals(Buffer.from(zip))).toBe(true);

    expect(await balance(service)).toBe(before - 9);
  });

  it("removes the backgrounds of an Avatar Creator project it names by id (spec 7.1)", async () => {
    const fake = fakeApps!;
    // The project lives in Avatar Creator, owned by the signed-in user; Background Remover Pro fetches it with the user's token.
    const photos = await filesFromPaths(BATCH_PHOTOS);
    const files = fake.addProject("avatar-creator", {
      id: "proj-team",
      owner: USER,
      images: photos.map((photo, i) => ({ id: `avatar-${i + 1}`, name: `team-${i + 1}.jpg`, bytes: photo.data })),
    });
    const before = await balance();

    const seen: BatchView[] = [];
    const summary = await removeProjectBackgrounds(client, "proj-team", {
      tier: "basic",
      onProgress: (b) => seen.push(b),
      timeoutMs: 240_000,
    });
    expect(summary).toMatchObject({
      projectId: "proj-team",
      totalAvatars: 3,
      totalCredits: 3 * 3,
      discountPercentage: 0,
      status: "completed",
      job: null,
    });
    expect(summary.batch).toMatchObject({
      status: "completed",
      tier: "basic",
      totalImages: 3,
      progress: { processedImages: 3, failedImages: 0, percentage: 100 },
    });
    expect(summary.batch!.pricing.finalTotal).toBe(summary.totalCredits);
    expect(seen.at(-1)?.status).toBe("completed");
    // The caller's platform token went to Avatar Creator for the listing and for each file.
    for (const target of [fake.paths.project("avatar-creator", "proj-team"), ...files.map((file) => file.path)]) {
      const requests = fake.requestsTo(target);
      expect(requests.length, target).toBeGreaterThanOrEqual(1);
      for (const request of requests) expect(ownerFromBearerJwt(request.authorization), target).toBe(USER);
    }

    const entries = zipEntries(await client.downloadBatch(summary.batch!.batchId));
    expect(entries.map((e) => e.name).sort()).toEqual(["removed-team-1.png", "removed-team-2.png", "removed-team-3.png"]);
    for (const entry of entries) expect(pngAlpha(entry.data).transparent, entry.name).toBeGreaterThan(0.05);

    expect(await balance()).toBe(before - summary.totalCredits);
  });

  it("gets a typed 404 for an Avatar Creator project of another user, and is charged nothing", async () => {
    const fake = fakeApps!;
    const photos = await filesFromPaths(BATCH_PHOTOS.slice(0, 2));
    const files = fake.addProject("avatar-creator", {
      id: "proj-not-mine",
      owner: "someone-else",
      images: photos.map((photo, i) => ({ id: `other-${i + 1}`, name: photo.name, bytes: photo.data })),
    });
    const before = await balance();

    const error = await removeProjectBackgrounds(client, "proj-not-mine").catch((e: unknown) => e);
    expect(isTRPCClientError(error)).toBe(true);
    expect(error).toMatchObject({ data: { domainCode: "NOT_FOUND", httpStatus: 404 } });
    // Avatar Creator answered 404 to the listing; no file of that project was fetched.
    expect(fake.requestsTo(fake.paths.project("avatar-creator", "proj-not-mine")).length).toBeGreaterThanOrEqual(1);
    for (const file of files) expect(fake.requestsTo(file.path)).toEqual([]);
    expect(await balance()).toBe(before);
  });

  it("gets typed errors: REST failures as BackgroundRemoverError, direct tRPC calls as TRPCClientError", async () => {
    const photo = await fileFromPath(PORTRAIT);
    const before = await balance();

    const badTier = await client.removeBackground(photo.data, { tier: "mega" as Tier }).catch((e: unknown) => e);
    expect(badTier).toBeInstanceOf(BackgroundRemoverError);
    expect(badTier).toMatchObject({ code: "INVALID_TIER", status: 400 });

    const broke = createBackgroundRemoverClient({ url: server!.url, token: platformToken("broke-user", jwtSecret) });
    const poor = await broke.removeBackground(photo.data, { tier: "basic" }).catch((e: unknown) => e);
    expect(isBackgroundRemoverError(poor, "INSUFFICIENT_CREDITS")).toBe(true);
    if (!isBackgroundRemoverError(poor, "INSUFFICIENT_CREDITS")) return;
    expect(poor.status).toBe(402);
    expect(poor.details).toEqual({ required: 3, available: 0 });

    const tooFew = await client.startBatch([photo], { tier: "basic" }).catch((e: unknown) => e);
    expect(tooFew).toMatchObject({ code: "INVALID_IMAGE_COUNT", status: 400, details: { actual: 1, min: 2 } });

    const forged = createBackgroundRemoverClient({ url: server!.url, token: platformToken(USER, "not-the-platform-secret") });
    await expect(forged.removeBackground(photo.data, { tier: "basic" })).rejects.toMatchObject({ code: "UNAUTHORIZED", status: 401 });

    const missing = await client.trpc.batch.get.query({ batchId: "batch_does_not_exist" }).catch((e: unknown) => e);
    expect(isTRPCClientError(missing)).toBe(true);
    expect(missing).toMatchObject({ data: { domainCode: "NOT_FOUND", httpStatus: 404 } });
    await expect(client.waitForBatch("batch_does_not_exist")).rejects.toMatchObject({
      name: "BackgroundRemoverError",
      code: "NOT_FOUND",
      status: 404,
    });

    // Nothing that failed was charged.
    expect(await balance()).toBe(before);
  });
});
