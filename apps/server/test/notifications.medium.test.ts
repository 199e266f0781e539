import { readFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let photo: Buffer;
let truncated: Buffer;

beforeAll(async () => {
  server = await startTestServer({ RUN_WORKER: "true", BATCH_RATE_LIMIT_PER_HOUR: "100", QUEUE_EXPIRE_SECONDS: "60" });
  photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
  // Passes the free checks, fails in the engine: a batch of only this one fails.
  truncated = (await sharp(photo).jpeg().toBuffer()).subarray(0, 6000);
});
afterAll(async () => {
  await server?.close();
});

async function userWithEmail(userId: string, email: string) {
  await server.runtime.deps.services.users.ensure(userId, "user", email);
  return server.userWithCredits(userId, 50);
}

async function api(token: string, route: string, init: RequestInit = {}) {
  const response = await fetch(`${server.api}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : null };
}

/** Submits a batch and waits until its notification job (if any) has run, or until it would have. */
async function runBatch(token: string, files: [string, Uint8Array][]) {
  const form = new FormData();
  form.set("tier", "basic");
  for (const [name, bytes] of files) form.append("images", new Blob([bytes]), name);
  const created = await api(token, "/batch", { method: "POST", body: form });
  expect(created.status).toBe(201);
  const batchId: string = created.body.data.batchId;
  const deadline = Date.now() + 240_000;
  for (;;) {
    const jobs = await mailJobs(batchId);
    if (jobs.length > 0 && jobs.every((job) => job.state === "completed")) return { batchId, jobs };
    if (Date.now() > deadline) throw new Error(`no settled notification job for ${batchId}: ${JSON.stringify(jobs)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function mailJobs(batchId: string) {
  const rows = await server.database.db.execute(
    sql`select state, data from pgboss.job where name = 'notification-mail' and data->>'batchId' = ${batchId}`,
  );
  return [...rows] as unknown as { state: string; data: { kind: string } }[];
}

function mailsTo(address: string) {
  return server.runtime.deps.outbox!.sent.filter((mail) => mail.to === address);
}

describe("notification mail for finished batches", () => {
  it("a completed batch enqueues exactly one mail, linking to the batch page; a retried job sends nothing more", async () => {
    const token = await userWithEmail("notified", "notified@example.com");
    const { batchId, jobs } = await runBatch(token, [
      ["a.jpg", photo],
      ["b.jpg", photo],
    ]);
    expect(jobs.map((job) => job.data.kind)).toEqual(["batch_completed"]);
    const mails = mailsTo("notified@example.com");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Your batch is ready: 2 of 2 images");
    expect(mails[0]!.text).toContain(`/batches/${batchId}`);
    expect(mails[0]!.text).toContain("/settings"); // where to turn it off

    // pg-boss delivers at least once: the same job again (a crash after sending) sends nothing.
    expect(await server.runtime.deps.services.notifications.deliver({ kind: "batch_completed", batchId })).toBe("already-sent");
    expect(mailsTo("notified@example.com")).toHaveLength(1);
  });

  it("a batch where every image failed mails that it failed", async () => {
    const token = await userWithEmail("failing", "failing@example.com");
    const { batchId, jobs } = await runBatch(token, [
      ["broken.jpg", truncated],
      ["broken-too.jpg", truncated],
    ]);
    expect(jobs.map((job) => job.data.kind)).toEqual(["batch_failed"]);
    const mails = mailsTo("failing@example.com");
    expect(mails.map((mail) => mail.subject)).toEqual(["Your batch failed: none of 2 images could be processed"]);
    expect(mails[0]!.text).toContain(`/batches/${batchId}`);
  });

  it("a user who opted out of completed batches gets no mail for one, and bad kinds are a 400", async () => {
    const token = await userWithEmail("quiet", "quiet@example.com");
    const before = await api(token, "/me/notifications");
    expect(before.body.data.kinds).toEqual([
      { kind: "batch_completed", enabled: true },
      { kind: "batch_failed", enabled: true },
      { kind: "payment_settled", enabled: true },
      { kind: "subscription_renewing", enabled: true },
      { kind: "subscription_expired", enabled: true },
    ]);
    const bad = await api(token, "/me/notifications", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ disabled: ["batch_done"] }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("Choose from: batch_completed, batch_failed, payment_settled");
    const set = await api(token, "/me/notifications", {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ disabled: ["batch_completed"] }),
    });
    expect(set.status).toBe(200);
    expect(set.body.data.kinds.slice(0, 2)).toEqual([
      { kind: "batch_completed", enabled: false },
      { kind: "batch_failed", enabled: true },
    ]);

    const { jobs } = await runBatch(token, [
      ["a.jpg", photo],
      ["b.jpg", photo],
    ]);
    expect(jobs).toHaveLength(1); // the job ran, and chose not to mail
    expect(mailsTo("quiet@example.com")).toEqual([]);
  });
});

describe("notification mail for payments", () => {
  async function mailFor(address: string, subject: string): Promise<{ subject: string; text: string }> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const mail = mailsTo(address).find((m) => m.subject === subject);
      if (mail) return mail;
      if (Date.now() > deadline)
        throw new Error(`no mail "${subject}" to ${address}: ${JSON.stringify(mailsTo(address).map((m) => m.subject))}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it("a confirmed credit pack mails 'payment received' once, with the receipt's address; a repeated confirmation mails nothing", async () => {
    const token = await userWithEmail("payer", "payer@example.com");
    const bought = await api(token, "/credits/purchases", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pack: "pack_100" }),
    });
    const paymentId: string = bought.body.data.payment.paymentId;
    const admin = await server.token("admin-mail", "admin");
    const settle = () =>
      api(admin, `/admin/payments/${paymentId}/settle`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status: "paid" }),
      });
    expect((await settle()).status).toBe(200);

    const mail = await mailFor("payer@example.com", "Payment received: Rp 50.000 for 100 credits (credit pack)");
    expect(mail.text).toContain(`100 credits were added to your balance`);
    expect(mail.text).toContain(`/payments/${paymentId}/receipt`);
    expect((await settle()).body.data.changed).toBe(false);
    await new Promise((r) => setTimeout(r, 1500)); // time for a second mail job, were there one
    expect(mailsTo("payer@example.com").filter((m) => m.subject.startsWith("Payment received"))).toHaveLength(1);
    expect(await server.runtime.deps.services.notifications.deliver({ kind: "payment_settled", paymentId })).toBe("already-sent");
  });
});
