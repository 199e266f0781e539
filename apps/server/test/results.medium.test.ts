import { readFile } from "node:fs/promises";
import path from "node:path";
import { backgroundRemovalJobs, creditLedger, users } from "@bgr/db";
import { eq, sum } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

// Results that last (#17): links signed again on demand, and "try another tier" on the stored original.
let server: TestServer;
let photo: Buffer;

beforeAll(async () => {
  server = await startTestServer();
  photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
});
afterAll(() => server?.close());

async function call(token: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.api}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function removeOne(token: string, tier = "basic") {
  const response = await fetch(`${server.api}/remove`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: imageForm(photo, { tier }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as any).data;
}

async function money(userId: string) {
  const { db } = server.database;
  const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  const [ledger] = await db
    .select({ total: sum(creditLedger.delta) })
    .from(creditLedger)
    .where(eq(creditLedger.userId, userId));
  const jobs = await db
    .select({ id: backgroundRemovalJobs.id })
    .from(backgroundRemovalJobs)
    .where(eq(backgroundRemovalJobs.userId, userId));
  return { balance: user!.balance, ledgerSum: Number(ledger!.total ?? 0), jobs: jobs.length };
}

describe("GET /jobs/:id/links", () => {
  it("signs the original and result again, after the first links expired", async () => {
    const token = await server.userWithCredits("linker", 10);
    const job = await removeOne(token);
    // A link from an hour and a bit ago, as an old history page holds it.
    const [row] = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, job.jobId));
    const stale = server.runtime.deps.signer.sign(row!.processedFilePath!, new Date(Date.now() - 2 * 3600_000), 3600);
    expect((await fetch(`${server.url}${stale}`)).status).toBeGreaterThanOrEqual(400);

    const { status, body } = await call(token, "GET", `/jobs/${job.jobId}/links`);
    expect(status).toBe(200);
    expect(Date.parse(body.data.expiresAt)).toBeGreaterThan(Date.now() + 3500_000);
    const result = await fetch(`${server.url}${body.data.processedUrl}`);
    expect(result.status).toBe(200);
    expect((await sharp(Buffer.from(await result.arrayBuffer())).metadata()).format).toBe("png");
    const original = await fetch(`${server.url}${body.data.originalUrl}`);
    expect(Buffer.from(await original.arrayBuffer()).equals(photo)).toBe(true);
  });

  it("answers null for a file no longer stored, and 404 for another user's job", async () => {
    const token = await server.userWithCredits("pruned", 10);
    const job = await removeOne(token);
    const [row] = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, job.jobId));
    await server.runtime.deps.storage.delete(row!.processedFilePath!);
    const { body } = await call(token, "GET", `/jobs/${job.jobId}/links`);
    expect(body.data.processedUrl).toBeNull();
    expect(body.data.originalUrl).toEqual(expect.any(String));

    const stranger = await server.userWithCredits("snoop", 0);
    const denied = await call(stranger, "GET", `/jobs/${job.jobId}/links`);
    expect([denied.status, denied.body.error.code]).toEqual([404, "NOT_FOUND"]);
  });
});

describe("POST /jobs/:id/rerun", () => {
  it("runs the stored original at another tier as a new job, charged once, replayed by Idempotency-Key", async () => {
    const token = await server.userWithCredits("retier", 20);
    const first = await removeOne(token, "basic"); // 3 credits
    const headers = { "idempotency-key": "rerun-1" };
    const again = await call(token, "POST", `/jobs/${first.jobId}/rerun`, { tier: "standard" }, headers);
    expect(again.status).toBe(200);
    expect(again.body.data).toMatchObject({
      status: "completed",
      tier: "standard",
      creditsUsed: 8,
      originalFileName: first.originalFileName,
    });
    expect(again.body.data.jobId).not.toBe(first.jobId);
    expect(again.body.data.metadata).toMatchObject({ width: 284, height: 398, originalSize: photo.length });
    const replay = await call(token, "POST", `/jobs/${first.jobId}/rerun`, { tier: "standard" }, headers);
    expect(replay.body.data.jobId).toBe(again.body.data.jobId);
    expect(await money("retier")).toEqual({ balance: 9, ledgerSum: 9, jobs: 2 });
  });

  it("the same through tRPC", async () => {
    const token = await server.userWithCredits("trpc-retier", 10);
    const first = await removeOne(token, "basic");
    const response = await fetch(`${server.url}/api/trpc/jobs.rerun`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ jobId: first.jobId, tier: "basic" }),
    });
    const body = (await response.json()) as any;
    expect(response.status).toBe(200);
    expect(body.result.data).toMatchObject({ status: "completed", tier: "basic", creditsUsed: 3 });
    expect(await money("trpc-retier")).toEqual({ balance: 4, ledgerSum: 4, jobs: 2 });
  });

  it("refuses a bad tier (400), another user's job (404), a pruned original (404) and short credits (402), charging nothing", async () => {
    const owner = await server.userWithCredits("refused", 10);
    const job = await removeOne(owner, "basic");
    const before = await money("refused");
    for (const tier of ["ultra", ""]) {
      const bad = await call(owner, "POST", `/jobs/${job.jobId}/rerun`, { tier });
      expect([bad.status, bad.body.error.code]).toEqual([400, "INVALID_TIER"]);
      expect(bad.body.error.message).toContain("Choose one of");
    }
    const noBody = await call(owner, "POST", `/jobs/${job.jobId}/rerun`, {});
    expect(noBody.status).toBe(400);
    const short = await call(owner, "POST", `/jobs/${job.jobId}/rerun`, { tier: "industry" });
    expect([short.status, short.body.error.code]).toEqual([402, "INSUFFICIENT_CREDITS"]);

    const stranger = await server.userWithCredits("thief", 50);
    const denied = await call(stranger, "POST", `/jobs/${job.jobId}/rerun`, { tier: "basic" });
    expect([denied.status, denied.body.error.code]).toEqual([404, "NOT_FOUND"]);
    expect(await money("thief")).toEqual({ balance: 50, ledgerSum: 50, jobs: 0 });

    const [row] = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, job.jobId));
    await server.runtime.deps.storage.delete(row!.originalFilePath);
    const gone = await call(owner, "POST", `/jobs/${job.jobId}/rerun`, { tier: "basic" });
    expect([gone.status, gone.body.error.code]).toEqual([404, "NOT_FOUND"]);
    expect(gone.body.error.message).toContain("Upload the image again");
    expect(await money("refused")).toEqual(before);
  });
});

describe("GET /jobs/:id/queue", () => {
  it("counts the unfinished jobs ahead with a rough wait, and answers null once settled", async () => {
    const token = await server.userWithCredits("waiter", 10);
    const done = await removeOne(token);
    const { db } = server.database;
    const [row] = await db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, done.jobId));
    const waiting = { ...row!, status: "processing" as const, processedFilePath: null, completedAt: null };
    const at = Date.now();
    await db.insert(backgroundRemovalJobs).values([
      { ...waiting, id: "job_waiting_first", createdAt: new Date(at - 2000) },
      { ...waiting, id: "job_waiting_second", createdAt: new Date(at - 1000) },
    ]);
    try {
      const first = await call(token, "GET", "/jobs/job_waiting_first/queue");
      const second = await call(token, "GET", "/jobs/job_waiting_second/queue");
      expect(first.body.data.ahead).toBe(0);
      expect(second.body.data.ahead).toBe(1);
      expect(second.body.data.etaSeconds).toBeGreaterThanOrEqual(first.body.data.etaSeconds);
      expect(first.body.data.etaSeconds).toBeGreaterThan(0);
      expect((await call(token, "GET", `/jobs/${done.jobId}/queue`)).body.data).toBeNull();
      const stranger = await server.userWithCredits("queue-snoop", 0);
      expect((await call(stranger, "GET", "/jobs/job_waiting_first/queue")).status).toBe(404);
    } finally {
      await db.update(backgroundRemovalJobs).set({ status: "failed" }).where(eq(backgroundRemovalJobs.userId, "waiter"));
    }
  });
});
