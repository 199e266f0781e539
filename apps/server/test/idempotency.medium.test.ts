import { readFile } from "node:fs/promises";
import path from "node:path";
import { backgroundRemovalBatches, backgroundRemovalJobs, creditLedger, idempotencyKeys, users } from "@bgr/db";
import { startFakeLumikuApps, type FakeLumikuApps } from "@bgr/testing";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

/** Issue 15 item 9: a client that timed out and retried paid twice. With an Idempotency-Key it pays once. */
let fake: FakeLumikuApps;
let server: TestServer;
let photo: Buffer;

beforeAll(async () => {
  fake = await startFakeLumikuApps();
  server = await startTestServer({
    RUN_WORKER: "true",
    BATCH_RATE_LIMIT_PER_HOUR: "100",
    LUMIKU_POSE_GENERATOR_URL: fake.baseUrls["pose-generator"],
    LUMIKU_AVATAR_CREATOR_URL: fake.baseUrls["avatar-creator"],
  });
  photo = await sharp(await readFile(path.join(DEV_DATA, "gc-teddy.jpg")))
    .resize({ width: 320 })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

async function send(token: string, route: string, init: RequestInit & { key?: string }) {
  const { key, ...rest } = init;
  const response = await fetch(`${server.api}${route}`, {
    ...rest,
    headers: { authorization: `Bearer ${token}`, ...(key ? { "idempotency-key": key } : {}), ...rest.headers },
  });
  return { status: response.status, replayed: response.headers.get("idempotent-replayed"), body: (await response.json()) as any };
}

const removeForm = (tier = "basic") => imageForm(photo, { tier });
const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function money(userId: string) {
  const { db } = server.database;
  const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  const debits = (await db.select().from(creditLedger).where(eq(creditLedger.userId, userId))).filter((row) => row.delta < 0);
  const jobs = await db
    .select({ id: backgroundRemovalJobs.id })
    .from(backgroundRemovalJobs)
    .where(eq(backgroundRemovalJobs.userId, userId));
  return { balance: user!.balance, debits: debits.length, jobs: jobs.length };
}

describe("Idempotency-Key on POST /remove", () => {
  it("a retry with the same key returns the first result and is not charged again", async () => {
    const token = await server.userWithCredits("retrier", 30);
    const first = await send(token, "/remove", { method: "POST", body: removeForm(), key: "retry-0001" });
    expect(first.status).toBe(200);
    expect(first.replayed).toBeNull();
    const retry = await send(token, "/remove", { method: "POST", body: removeForm(), key: "retry-0001" });
    expect(retry.status).toBe(200);
    expect(retry.replayed).toBe("true");
    expect(retry.body.data.jobId).toBe(first.body.data.jobId);
    expect(await money("retrier")).toEqual({ balance: 27, debits: 1, jobs: 1 });

    // Without a key, or with a new one, it is a new request.
    expect((await send(token, "/remove", { method: "POST", body: removeForm(), key: "retry-0002" })).body.data.jobId).not.toBe(
      first.body.data.jobId,
    );
    expect(await money("retrier")).toEqual({ balance: 24, debits: 2, jobs: 2 });
  });

  it("concurrent duplicates run once: one charge, the others wait (409) or get the first answer", async () => {
    const token = await server.userWithCredits("impatient", 30);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => send(token, "/remove", { method: "POST", body: removeForm(), key: "burst-0001" })),
    );
    const ran = answers.filter((a) => a.status === 200 && !a.replayed);
    expect(ran).toHaveLength(1);
    for (const answer of answers.filter((a) => a !== ran[0])) {
      if (answer.status === 200) expect(answer.body.data.jobId).toBe(ran[0]!.body.data.jobId);
      else expect({ status: answer.status, code: answer.body.error.code }).toEqual({ status: 409, code: "IDEMPOTENCY_KEY_IN_USE" });
    }
    expect(await money("impatient")).toEqual({ balance: 27, debits: 1, jobs: 1 });
  });

  it("the same key with a different request is refused with 422, charging nothing", async () => {
    const token = await server.userWithCredits("reuser", 30);
    expect((await send(token, "/remove", { method: "POST", body: removeForm("basic"), key: "reuse-0001" })).status).toBe(200);
    const other = await send(token, "/remove", { method: "POST", body: removeForm("standard"), key: "reuse-0001" });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED", message: expect.stringMatching(/new key/) });
    expect(await money("reuser")).toEqual({ balance: 27, debits: 1, jobs: 1 });
  });

  it("keys are per user, and a failed first request can be retried with its key", async () => {
    const poor = await server.userWithCredits("poor-retrier", 0);
    const refused = await send(poor, "/remove", { method: "POST", body: removeForm(), key: "shared-0001" });
    expect(refused.status).toBe(402);
    await server.runtime.deps.services.users.grant("poor-retrier", 10);
    expect((await send(poor, "/remove", { method: "POST", body: removeForm(), key: "shared-0001" })).status).toBe(200);
    const other = await server.userWithCredits("other-user", 10);
    const theirs = await send(other, "/remove", { method: "POST", body: removeForm(), key: "shared-0001" });
    expect(theirs.status).toBe(200);
    expect(theirs.replayed).toBeNull();
    expect(await money("poor-retrier")).toEqual({ balance: 7, debits: 1, jobs: 1 });
    expect(await money("other-user")).toEqual({ balance: 7, debits: 1, jobs: 1 });
  });

  it("refuses a malformed key with 400", async () => {
    const token = await server.userWithCredits("sloppy", 10);
    const answer = await send(token, "/remove", { method: "POST", body: removeForm(), key: "spaces are not allowed" });
    expect({ status: answer.status, code: answer.body.error.code }).toEqual({ status: 400, code: "INVALID_OPTIONS" });
    expect(await money("sloppy")).toEqual({ balance: 10, debits: 0, jobs: 0 });
  });

  it("after 24 hours a key names a new request", async () => {
    const token = await server.userWithCredits("forgetful", 10);
    const first = await send(token, "/remove", { method: "POST", body: removeForm(), key: "day-0001" });
    await server.database.db
      .update(idempotencyKeys)
      .set({ createdAt: new Date(Date.now() - 25 * 3600_000) })
      .where(eq(idempotencyKeys.userId, "forgetful"));
    const later = await send(token, "/remove", { method: "POST", body: removeForm(), key: "day-0001" });
    expect(later.replayed).toBeNull();
    expect(later.body.data.jobId).not.toBe(first.body.data.jobId);
  });
});

describe("Idempotency-Key on POST /batch and the integrations", () => {
  it("a retried batch upload is the same batch, charged once", async () => {
    const token = await server.userWithCredits("batch-retrier", 30);
    const form = () => {
      const f = new FormData();
      f.set("tier", "basic");
      for (const name of ["a.jpg", "b.jpg"]) f.append("images", new Blob([new Uint8Array(photo)]), name);
      return f;
    };
    const first = await send(token, "/batch", { method: "POST", body: form(), key: "batch-0001" });
    expect(first.status).toBe(201);
    const retry = await send(token, "/batch", { method: "POST", body: form(), key: "batch-0001" });
    expect({ status: retry.status, replayed: retry.replayed, batchId: retry.body.data.batchId }).toEqual({
      status: 201,
      replayed: "true",
      batchId: first.body.data.batchId,
    });
    const batches = await server.database.db
      .select()
      .from(backgroundRemovalBatches)
      .where(eq(backgroundRemovalBatches.userId, "batch-retrier"));
    expect(batches).toHaveLength(1);
    expect((await money("batch-retrier")).debits).toBe(1);
  });

  it("pose-generator auto-remove and a project batch: retries are replays", async () => {
    const token = await server.userWithCredits("sibling-retrier", 50);
    fake.addGeneratedImage("sibling-retrier", { id: "gen-idem", name: "pose.jpg", bytes: photo });
    const pose = { generatedImageId: "gen-idem", tier: "basic" };
    const first = await send(token, "/integrations/pose-generator/auto-remove", { ...json(pose), key: "pose-0001" });
    expect(first.status).toBe(200);
    const retry = await send(token, "/integrations/pose-generator/auto-remove", { ...json(pose), key: "pose-0001" });
    expect({ status: retry.status, replayed: retry.replayed, jobId: retry.body.data.jobId }).toEqual({
      status: 200,
      replayed: "true",
      jobId: first.body.data.jobId,
    });

    fake.addProject("avatar-creator", {
      id: "p-idem",
      owner: "sibling-retrier",
      images: [
        { id: "1", bytes: photo },
        { id: "2", bytes: photo },
      ],
    });
    const project = { projectId: "p-idem", tier: "basic" };
    const batch = await send(token, "/integrations/avatar-creator/batch", { ...json(project), key: "project-0001" });
    expect(batch.status).toBe(201);
    const again = await send(token, "/integrations/avatar-creator/batch", { ...json(project), key: "project-0001" });
    expect({ status: again.status, replayed: again.replayed, batchId: again.body.data.batchId }).toEqual({
      status: 201,
      replayed: "true",
      batchId: batch.body.data.batchId,
    });
    const other = await send(token, "/integrations/avatar-creator/batch", {
      ...json({ ...project, tier: "standard" }),
      key: "project-0001",
    });
    expect(other.status).toBe(422);
    // One pose job + one batch of two items; one debit each.
    expect(await money("sibling-retrier")).toMatchObject({ debits: 2, jobs: 3 });
  });
});

describe("Idempotency-Key on the tRPC integration mutations", () => {
  async function mutate(token: string, procedure: string, input: unknown, key?: string) {
    const response = await fetch(`${server.url}/api/trpc/${procedure}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
      body: JSON.stringify(input),
    });
    return { status: response.status, replayed: response.headers.get("idempotent-replayed"), body: (await response.json()) as any };
  }

  it("pose-generator and a project batch: a retry gets the first result, charged once; other input is a 422", async () => {
    const token = await server.userWithCredits("trpc-retrier", 50);
    fake.addGeneratedImage("trpc-retrier", { id: "gen-trpc", name: "pose.jpg", bytes: photo });
    const pose = { generatedImageId: "gen-trpc", tier: "basic" };
    const first = await mutate(token, "integrations.poseAutoRemove", pose, "trpc-pose-1");
    expect(first.status).toBe(200);
    const retry = await mutate(token, "integrations.poseAutoRemove", pose, "trpc-pose-1");
    expect({ status: retry.status, replayed: retry.replayed, jobId: retry.body.result.data.jobId }).toEqual({
      status: 200,
      replayed: "true",
      jobId: first.body.result.data.jobId,
    });

    fake.addProject("avatar-creator", {
      id: "p-trpc",
      owner: "trpc-retrier",
      images: [
        { id: "1", bytes: photo },
        { id: "2", bytes: photo },
      ],
    });
    const project = { projectId: "p-trpc", tier: "basic" };
    const batch = await mutate(token, "integrations.avatarCreatorBatch", project, "trpc-project-1");
    const again = await mutate(token, "integrations.avatarCreatorBatch", project, "trpc-project-1");
    expect(again.body.result.data.batchId).toBe(batch.body.result.data.batchId);
    const other = await mutate(token, "integrations.avatarCreatorBatch", { ...project, tier: "standard" }, "trpc-project-1");
    expect([other.status, other.body.error.data.domainCode]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    // The REST route with the same key is another request, not a replay.
    const rest = await send(token, "/integrations/avatar-creator/batch", { ...json(project), key: "trpc-project-1" });
    expect(rest.status).toBe(422);
    expect(await money("trpc-retrier")).toMatchObject({ debits: 2, jobs: 3 });

    const malformed = await mutate(token, "integrations.poseAutoRemove", pose, "bad key with spaces");
    expect([malformed.status, malformed.body.error.data.domainCode]).toEqual([400, "INVALID_OPTIONS"]);
    // Without a key, each call is its own request.
    expect((await mutate(token, "integrations.poseAutoRemove", pose)).body.result.data.jobId).not.toBe(first.body.result.data.jobId);
  });
});
