import { readFile } from "node:fs/promises";
import path from "node:path";
import { creditLedger, users } from "@bgr/db";
import { eq, sum } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let photo: Buffer;

beforeAll(async () => {
  server = await startTestServer();
  photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
});
afterAll(() => server?.close());

async function post(token: string, form: FormData) {
  const response = await fetch(`${server.api}/remove`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

async function balanceAndLedgerSum(userId: string) {
  const { db } = server.database;
  const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  const [ledger] = await db
    .select({ total: sum(creditLedger.delta) })
    .from(creditLedger)
    .where(eq(creditLedger.userId, userId));
  return { balance: user!.balance, ledgerSum: Number(ledger!.total ?? 0) };
}

describe("health and auth", () => {
  it("answers /health without auth", async () => {
    const response = await fetch(`${server.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("refuses every API route without a valid credential", async () => {
    for (const [method, route] of [
      ["GET", "/jobs"],
      ["POST", "/remove"],
      ["GET", "/stats"],
      ["POST", "/pricing/calculate"],
    ] as const) {
      const response = await fetch(`${server.api}${route}`, { method, headers: { authorization: "Bearer not-a-token" } });
      expect(response.status, `${method} ${route}`).toBe(401);
    }
  });
});

describe("POST /remove", () => {
  it("charges the tier's price, returns the spec's shape and a downloadable PNG", async () => {
    const token = await server.userWithCredits("alice", 20);
    const { status, body } = await post(token, imageForm(photo, { tier: "standard" }));
    expect(status).toBe(200);
    expect(body.success).toBe(true);
    expect(body.data).toMatchObject({ status: "completed", tier: "standard", creditsUsed: 8, pricingType: "credits" });
    expect(body.data.metadata).toMatchObject({ width: 284, height: 398, format: "png", originalSize: photo.length });
    const download = await fetch(`${server.url}${body.data.processedUrl}`);
    expect(download.status).toBe(200);
    const meta = await sharp(Buffer.from(await download.arrayBuffer())).metadata();
    expect([meta.format, meta.channels, meta.width]).toEqual(["png", 4, 284]);
    expect(await balanceAndLedgerSum("alice")).toEqual({ balance: 12, ledgerSum: 12 });
  });

  it("charges exactly 10 of 50 concurrent removals when credits pay for 10", async () => {
    const token = await server.userWithCredits("racer", 30);
    const results = await Promise.all(Array.from({ length: 50 }, () => post(token, imageForm(photo, { tier: "basic" }))));
    const statuses = results.map((r) => r.status);
    console.info(`concurrency: ${statuses.filter((s) => s === 200).length} × 200, ${statuses.filter((s) => s === 402).length} × 402`);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(40);
    expect(results.find((r) => r.status === 402)!.body.error).toMatchObject({
      code: "INSUFFICIENT_CREDITS",
      details: { required: 3, available: 0 },
    });
    expect(await balanceAndLedgerSum("racer")).toEqual({ balance: 0, ledgerSum: 0 });
  });

  it("refunds a removal that fails after the charge, exactly once", async () => {
    const token = await server.userWithCredits("bob", 10);
    // A JPEG whose header is fine but whose data stops half way: it passes the free checks, fails in the engine.
    const truncated = (await sharp(photo).jpeg().toBuffer()).subarray(0, 6000);
    const { status, body } = await post(token, imageForm(truncated, { tier: "basic" }));
    expect(status).toBe(400);
    expect(body.error.code).toBe("INVALID_IMAGE");
    const { db } = server.database;
    const ledger = await db.select().from(creditLedger).where(eq(creditLedger.userId, "bob"));
    expect(ledger.map((r) => r.delta).sort()).toEqual([-3, 10, 3].sort());
    const jobs = await server.runtime.deps.services.jobs.list({ userId: "bob", page: 1, pageSize: 10 });
    expect(jobs.items[0]).toMatchObject({ status: "failed", refunded: true });
    // A retried refund (a redelivered job, a second worker) changes nothing.
    const job = await server.runtime.deps.services.jobs.get("bob", jobs.items[0]!.jobId);
    const { backgroundRemovalJobs } = await import("@bgr/db");
    const [row] = await db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, job.jobId));
    await server.runtime.settlement.failAndRefund(row!, new Error("retry"));
    expect(await balanceAndLedgerSum("bob")).toEqual({ balance: 10, ledgerSum: 10 });
  });

  it("answers 400 for bad input and charges nothing", async () => {
    const token = await server.userWithCredits("carol", 100);
    const cases: [string, FormData, string][] = [
      ["unknown tier", imageForm(photo, { tier: "ultra" }), "INVALID_TIER"],
      ["missing tier", imageForm(photo, {}), "INVALID_TIER"],
      ["text named .png", imageForm(Buffer.from("hello, not an image"), { tier: "basic" }, "x.png"), "INVALID_IMAGE"],
      ["empty file", imageForm(new Uint8Array(0), { tier: "basic" }), "INVALID_IMAGE"],
      ["jpg without background", imageForm(photo, { tier: "basic", format: "jpg" }), "INVALID_OPTIONS"],
      ["over 10 MB", imageForm(new Uint8Array(10 * 1024 * 1024 + 1), { tier: "basic" }), "FILE_TOO_LARGE"],
    ];
    for (const [name, form, code] of cases) {
      const { status, body } = await post(token, form);
      expect([name, status, body.error?.code]).toEqual([name, 400, code]);
      expect(body.error.message.length).toBeGreaterThan(10);
    }
    expect(await balanceAndLedgerSum("carol")).toEqual({ balance: 100, ledgerSum: 100 });
  });

  it("answers 402 with the numbers when credits are short", async () => {
    const token = await server.userWithCredits("dave", 10);
    const { status, body } = await post(token, imageForm(photo, { tier: "industry" }));
    expect(status).toBe(402);
    expect(body.error).toMatchObject({ code: "INSUFFICIENT_CREDITS", details: { required: 25, available: 10 } });
  });
});

describe("isolation between users", () => {
  it("answers 404 for another user's job and 403 for a tampered file link", async () => {
    const owner = await server.userWithCredits("erin", 10);
    const { body } = await post(owner, imageForm(photo, { tier: "basic" }));
    const stranger = await server.userWithCredits("frank", 0);
    const response = await fetch(`${server.api}/jobs/${body.data.jobId}`, { headers: { authorization: `Bearer ${stranger}` } });
    expect(response.status).toBe(404);
    const mine = await fetch(`${server.api}/jobs/${body.data.jobId}`, { headers: { authorization: `Bearer ${owner}` } });
    expect(mine.status).toBe(200);
    const tampered = `${server.url}${body.data.processedUrl}`.replace("/erin/", "/frank/");
    expect((await fetch(tampered)).status).toBe(403);
  });
});

describe("jobs, stats and pricing", () => {
  it("lists jobs with filters and pages, and reports stats", async () => {
    const token = await server.token("alice");
    const auth = { authorization: `Bearer ${token}` };
    const page = (await (await fetch(`${server.api}/jobs?tier=standard&pageSize=5`, { headers: auth })).json()) as any;
    expect(page.data).toMatchObject({ page: 1, pageSize: 5, total: 1 });
    expect(page.data.items[0].tier).toBe("standard");
    const bad = await fetch(`${server.api}/jobs?pageSize=1000`, { headers: auth });
    expect(bad.status).toBe(400);
    const stats = (await (await fetch(`${server.api}/stats`, { headers: auth })).json()) as any;
    expect(stats.data).toMatchObject({ jobsByTier: { standard: 1 }, jobsByStatus: { completed: 1 }, creditsSpent: 8 });
    expect(stats.data.meanProcessingTimeMs).toBeGreaterThan(0);
  });

  it("prices batches with the spec's volume discounts", async () => {
    const token = await server.token("alice");
    const response = await fetch(`${server.api}/pricing/calculate`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ tier: "standard", imageCount: 100 }),
    });
    const body = (await response.json()) as any;
    expect(body.data.pricing).toEqual({
      baseCreditsPerImage: 8,
      baseTotal: 800,
      discountPercentage: 10,
      discountAmount: 80,
      finalTotal: 720,
      creditsPerImageAfterDiscount: 7.2,
    });
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After past the per-minute limit", async () => {
    const limited = await startTestServer({ SINGLE_RATE_LIMIT_PER_MINUTE: "2" }, server.database);
    try {
      const token = await server.userWithCredits("gina", 30);
      const send = () =>
        fetch(`${limited.api}/remove`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: imageForm(photo, { tier: "basic" }),
        });
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(200);
      const third = await send();
      expect(third.status).toBe(429);
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await balanceAndLedgerSum("gina")).toEqual({ balance: 24, ledgerSum: 24 });
    } finally {
      await limited.close();
    }
  });
});
