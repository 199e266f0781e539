import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { backgroundRemovalBatches, backgroundRemovalJobs, creditLedger, users } from "@bgr/db";
import { deriveSecrets } from "@bgr/core";
import { priceBatch, settleBatch } from "@bgr/domain";
import { count, eq, sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startCallbackReceiver, startTestServer, type CallbackReceiver, type TestServer } from "./harness.ts";

let server: TestServer;
let receiver: CallbackReceiver;
let photo: Buffer;
let truncated: Buffer;

beforeAll(async () => {
  receiver = await startCallbackReceiver();
  server = await startTestServer({
    RUN_WORKER: "true",
    BATCH_RATE_LIMIT_PER_HOUR: "100",
    QUEUE_EXPIRE_SECONDS: "60",
    CALLBACK_TRUSTED_HOSTS: receiver.host,
  });
  photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
  // Header fine, data cut: passes the free checks, fails in the engine (a permanent failure).
  truncated = (await sharp(photo).jpeg().toBuffer()).subarray(0, 6000);
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

function batchForm(files: [string, Uint8Array][], fields: Record<string, string>) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  for (const [name, bytes] of files) form.append("images", new Blob([bytes]), name);
  return form;
}

async function api(token: string, route: string, init: RequestInit = {}) {
  const response = await fetch(`${server.api}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : null };
}

async function waitForBatch(token: string, batchId: string, until: (data: any) => boolean, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api(token, `/batch/${batchId}`);
    if (until(body.data)) return body.data;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} stuck: ${JSON.stringify(body.data.progress)} ${body.data.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function money(userId: string, on: TestServer = server) {
  const { db } = on.database;
  const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  const ledger = await db.select().from(creditLedger).where(eq(creditLedger.userId, userId));
  return { balance: user!.balance, ledgerSum: ledger.reduce((s, r) => s + r.delta, 0), ledger };
}

describe("POST /batch", () => {
  it("charges once, processes every item, refunds the failed one and serves a ZIP with ranges", async () => {
    const token = await server.userWithCredits("batcher", 100);
    const files: [string, Uint8Array][] = [
      ["a.jpg", photo],
      ["../../etc/b.jpg", photo],
      ["a.jpg", photo],
      ["broken.jpg", truncated],
    ];
    const created = await api(token, "/batch", { method: "POST", body: batchForm(files, { tier: "basic" }) });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      totalImages: 4,
      tier: "basic",
      status: "pending",
      pricing: { baseTotal: 12, discountPercentage: 0, finalTotal: 12 },
    });
    expect(created.body.data.estimatedCompletionMinutes).toBeGreaterThanOrEqual(1);
    expect((await money("batcher")).balance).toBe(88);

    const done = await waitForBatch(
      token,
      created.body.data.batchId,
      (d) => d.status !== "pending" && d.status !== "processing" && d.zipUrl,
    );
    expect(done).toMatchObject({
      status: "completed",
      progress: { totalImages: 4, processedImages: 3, failedImages: 1, cancelledImages: 0, percentage: 100 },
      pricing: { finalTotal: 12, refundedCredits: 3, netCredits: 9 },
    });
    expect(done.items.filter((i: any) => i.status === "failed")).toHaveLength(1);
    // 3 results cost the price of 3 (9): 3 comes back, in one ledger row that says why.
    const after = await money("batcher");
    expect(after.balance).toBe(91);
    expect(after.ledgerSum).toBe(91);
    expect(after.ledger.filter((r) => r.reason === "refund").map((r) => r.delta)).toEqual([3]);

    const download = await fetch(`${server.api}/batch/${done.batchId}/download`, { headers: { authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    const zip = Buffer.from(await download.arrayBuffer());
    expect(Number(download.headers.get("content-length"))).toBe(zip.length);
    const names = zipNames(zip);
    expect(names.sort()).toEqual(["removed-a-2.png", "removed-a.png", "removed-b.png"]);

    const ranged = await fetch(`${server.api}/batch/${done.batchId}/download`, {
      headers: { authorization: `Bearer ${token}`, range: "bytes=0-99" },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 0-99/${zip.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(zip.subarray(0, 100))).toBe(true);

    const stranger = await server.userWithCredits("peeker", 0);
    expect((await api(stranger, `/batch/${done.batchId}`)).status).toBe(404);
    expect((await api(stranger, `/batch/${done.batchId}/download`)).status).toBe(404);
  });

  it("lists every bad file with its reason and charges nothing", async () => {
    const token = await server.userWithCredits("careful", 100);
    const files: [string, Uint8Array][] = [
      ["ok.jpg", photo],
      ["notes.png", Buffer.from("not an image at all")],
      ["huge.jpg", new Uint8Array(10 * 1024 * 1024 + 5)],
    ];
    const { status, body } = await api(token, "/batch", { method: "POST", body: batchForm(files, { tier: "standard" }) });
    expect(status).toBe(400);
    expect(body.error.code).toBe("INVALID_FILES");
    expect(body.error.details.files.map((f: any) => f.name)).toEqual(["notes.png", "huge.jpg"]);
    expect((await api(token, "/batch", { method: "POST", body: batchForm([["one.jpg", photo]], { tier: "basic" }) })).body.error.code).toBe(
      "INVALID_IMAGE_COUNT",
    );
    expect(
      (
        await api(token, "/batch", {
          method: "POST",
          body: batchForm(
            [
              ["a.jpg", photo],
              ["b.jpg", photo],
            ],
            { tier: "mega" },
          ),
        })
      ).body.error.code,
    ).toBe("INVALID_TIER");
    const short = await server.userWithCredits("shorty", 5);
    const poor = await api(short, "/batch", {
      method: "POST",
      body: batchForm(
        [
          ["a.jpg", photo],
          ["b.jpg", photo],
        ],
        { tier: "standard" },
      ),
    });
    expect(poor.status).toBe(402);
    expect(poor.body.error.details).toEqual({ required: 16, available: 5 });
    const { db } = server.database;
    const [batches] = await db
      .select({ n: count() })
      .from(backgroundRemovalBatches)
      .where(sql`${backgroundRemovalBatches.userId} in ('careful', 'shorty')`);
    expect(batches!.n).toBe(0);
    expect((await money("careful")).balance).toBe(100);
    expect((await money("shorty")).balance).toBe(5);
  });

  it("writes nothing, not even the queue jobs, when the transaction fails before commit", async () => {
    const token = await server.userWithCredits("unlucky", 100);
    const { batches } = server.runtime.deps.services;
    const deps = (batches as unknown as { deps: { beforeCommit?: () => Promise<void> } }).deps;
    const [{ n: queuedBefore }] = (await server.database
      .sql`select count(*)::int as n from pgboss.job where name = 'batch-item'`) as unknown as [{ n: number }];
    deps.beforeCommit = async () => {
      throw new Error("simulated crash between upload and commit");
    };
    try {
      const { status } = await api(token, "/batch", {
        method: "POST",
        body: batchForm(
          [
            ["a.jpg", photo],
            ["b.jpg", photo],
          ],
          { tier: "basic" },
        ),
      });
      expect(status).toBe(500);
    } finally {
      delete deps.beforeCommit;
    }
    const [{ n: queuedAfter }] = (await server.database
      .sql`select count(*)::int as n from pgboss.job where name = 'batch-item'`) as unknown as [{ n: number }];
    expect(queuedAfter).toBe(queuedBefore);
    const { db } = server.database;
    expect((await db.select({ n: count() }).from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.userId, "unlucky")))[0]!.n).toBe(0);
    expect(await money("unlucky")).toMatchObject({ balance: 100, ledgerSum: 100 });
  });

  it("sends a signed callback when the batch finishes, retrying a failing receiver", async () => {
    const { received } = receiver;
    receiver.answer.push({ status: 500 });
    {
      const token = await server.userWithCredits("hooked", 100);
      const created = await api(token, "/batch", {
        method: "POST",
        body: batchForm(
          [
            ["x.jpg", photo],
            ["y.jpg", photo],
          ],
          { tier: "basic", callbackUrl: `http://${receiver.host}/done` },
        ),
      });
      expect(created.status).toBe(201);
      const deadline = Date.now() + 240_000;
      while (received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      expect(received.length).toBe(2);
      const last = received[1]!;
      const expected = createHmac("sha256", deriveSecrets(server.runtime.jwtSecret).callbacks).update(last.body).digest("hex");
      expect(last.signature).toBe(`sha256=${expected}`);
      expect(JSON.parse(last.body)).toMatchObject({
        event: "batch.finished",
        data: { batchId: created.body.data.batchId, status: "completed" },
      });
    }
  });

  it("answers 429 with Retry-After past the hourly batch limit", async () => {
    // A database of its own and no worker: its items must not reach the main server's worker, which cannot read this server's files.
    const limited = await startTestServer({ BATCH_RATE_LIMIT_PER_HOUR: "1", RUN_WORKER: "false" });
    try {
      const token = await limited.userWithCredits("eager", 100);
      const send = () =>
        fetch(`${limited.api}/batch`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: batchForm(
            [
              ["a.jpg", photo],
              ["b.jpg", photo],
            ],
            { tier: "basic" },
          ),
        });
      expect((await send()).status).toBe(201);
      const second = await send();
      expect(second.status).toBe(429);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(3000);
      expect((await money("eager", limited)).balance).toBe(94);
    } finally {
      await limited.close();
    }
  });
});

describe("the price of what succeeded", () => {
  it("charges a padded batch the volume price of its real images only: 5 real + 196 truncated at the 201-image discount", async () => {
    const small = await sharp(photo).resize({ width: 160 }).jpeg().toBuffer();
    const files: [string, Uint8Array][] = [
      ...Array.from({ length: 5 }, (_, i): [string, Uint8Array] => [`real-${i}.jpg`, small]),
      ...Array.from({ length: 196 }, (_, i): [string, Uint8Array] => [`pad-${i}.jpg`, truncated]),
    ];
    const quote = priceBatch("basic", 201);
    const { netTotal, refund } = settleBatch({ tier: "basic", totalImages: 201, finalTotal: quote.finalTotal }, 5);
    expect(quote.discountPercentage).toBe(20);
    expect(netTotal).toBe(priceBatch("basic", 5).finalTotal);
    const token = await server.userWithCredits("padder", 1000);
    const created = await api(token, "/batch", { method: "POST", body: batchForm(files, { tier: "basic" }) });
    expect(created.status).toBe(201);
    expect(created.body.data.pricing.finalTotal).toBe(quote.finalTotal);
    expect((await money("padder")).balance).toBe(1000 - quote.finalTotal);

    const done = await waitForBatch(
      token,
      created.body.data.batchId,
      (d) => d.status !== "pending" && d.status !== "processing" && d.zipUrl,
      600_000,
    );
    expect(done).toMatchObject({
      progress: { processedImages: 5, failedImages: 196, percentage: 100 },
      pricing: { refundedCredits: refund, netCredits: netTotal },
    });
    const after = await money("padder");
    expect(after.balance).toBe(1000 - netTotal);
    expect(after.ledgerSum).toBe(after.balance);
    // One refund row for the batch, however many items failed.
    expect(after.ledger.filter((r) => r.reason === "refund").map((r) => [r.delta, r.referenceId])).toEqual([[refund, done.batchId]]);
    const items = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.batchId, done.batchId));
    expect(items.reduce((s, i) => s + i.creditUsed, 0)).toBe(netTotal);
    expect(items.filter((i) => i.status === "failed").every((i) => i.creditUsed === 0 && i.refundedAt)).toBe(true);
  });
});

describe("DELETE /batch/:id", () => {
  it("cancels unprocessed items and refunds them exactly", async () => {
    // No worker on this server and a database of its own (the shared one's queue has the main server's worker):
    // nothing starts, so every item is still pending when cancelled.
    const idle = await startTestServer({ RUN_WORKER: "false" });
    try {
      const token = await idle.userWithCredits("quitter", 200);
      const files: [string, Uint8Array][] = Array.from({ length: 21 }, (_, i) => [`p${i}.jpg`, photo]);
      const created = (await (
        await fetch(`${idle.api}/batch`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: batchForm(files, { tier: "basic" }),
        })
      ).json()) as any;
      // 21 × 3 = 63, 5 % off, rounded down: 60.
      expect(created.data.pricing).toMatchObject({ baseTotal: 63, discountPercentage: 5, discountAmount: 3, finalTotal: 60 });
      expect((await money("quitter", idle)).balance).toBe(140);
      const cancelled = (await (
        await fetch(`${idle.api}/batch/${created.data.batchId}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } })
      ).json()) as any;
      expect(cancelled.data.status).toBe("cancelled");
      expect(cancelled.data.items.every((i: any) => i.status === "cancelled")).toBe(true);
      expect(cancelled.data.progress).toMatchObject({ processedImages: 0, failedImages: 0, cancelledImages: 21, percentage: 0 });
      expect(cancelled.data.pricing).toMatchObject({ finalTotal: 60, refundedCredits: 60, netCredits: 0 });
      const after = await money("quitter", idle);
      expect(after).toMatchObject({ balance: 200, ledgerSum: 200 });
      // A second cancel changes nothing.
      await fetch(`${idle.api}/batch/${created.data.batchId}`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
      expect((await money("quitter", idle)).balance).toBe(200);
    } finally {
      await idle.close();
    }
  });
});

/** Entry names from a ZIP's central directory (enough to check what a download holds). */
function zipNames(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < entries; i++) {
    const nameLength = zip.readUInt16LE(offset + 28);
    const extra = zip.readUInt16LE(offset + 30);
    const comment = zip.readUInt16LE(offset + 32);
    names.push(zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8"));
    offset += 46 + nameLength + extra + comment;
  }
  return names;
}

describe("a batch cancelled while it runs", () => {
  it("keeps what was done, never shows 100 %, and costs the volume price of the items that succeeded", async () => {
    const token = await server.userWithCredits("halfway", 100);
    const files: [string, Uint8Array][] = Array.from({ length: 8 }, (_, i) => [`h${i}.jpg`, photo]);
    const created = await api(token, "/batch", { method: "POST", body: batchForm(files, { tier: "basic" }) });
    expect(created.status).toBe(201);
    const batchId = created.body.data.batchId;
    await waitForBatch(token, batchId, (d) => d.progress.processedImages >= 1);
    const cancelled = await api(token, `/batch/${batchId}`, { method: "DELETE" });
    expect(cancelled.body.data.status).toBe("cancelled");
    // Items running at the cancel finish; then the batch settles.
    const done = await waitForBatch(token, batchId, (d) => d.pricing.refundedCredits !== null && d.zipUrl);
    const { processedImages, failedImages, cancelledImages, percentage } = done.progress;
    expect(done.status).toBe("cancelled");
    expect(cancelledImages).toBeGreaterThan(0);
    expect(processedImages + failedImages + cancelledImages).toBe(8);
    expect(percentage).toBe(Math.floor(((processedImages + failedImages) * 100) / 8));
    expect(percentage).toBeLessThan(100);
    const { netTotal, refund } = settleBatch({ tier: "basic", totalImages: 8, finalTotal: 24 }, processedImages);
    expect(done.pricing).toMatchObject({ finalTotal: 24, refundedCredits: refund, netCredits: netTotal });
    expect(done.items.filter((i: any) => i.status === "cancelled")).toHaveLength(cancelledImages);
    expect(await money("halfway")).toMatchObject({ balance: 100 - netTotal, ledgerSum: 100 - netTotal });
    expect(zipNames(Buffer.from(await (await fetch(new URL(done.zipUrl, server.url))).arrayBuffer()))).toHaveLength(processedImages);
  });
});
