import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { TaskQueue, RetentionService } from "@bgr/core";
import { backgroundRemovalBatches, backgroundRemovalJobs } from "@bgr/db";
import { eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let photo: Buffer;

beforeAll(async () => {
  // Originals 7 days, results 30 days, ZIPs 7 days (the defaults), swept by this server's embedded worker.
  server = await startTestServer({ RUN_WORKER: "true", BATCH_RATE_LIMIT_PER_HOUR: "100", QUEUE_EXPIRE_SECONDS: "60" });
  photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
});
afterAll(async () => {
  await server?.close();
});

async function api(token: string, route: string, init: RequestInit = {}) {
  const response = await fetch(`${server.api}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : null };
}

async function until<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Moves a job's (or batch's) settle time `days` into the past: the sweep reads the database's timestamps. */
async function age(table: "background_removal_jobs" | "background_removal_batches", id: string, days: number) {
  await server.database.sql.unsafe(
    `update ${table} set created_at = created_at - make_interval(days => $2), completed_at = completed_at - make_interval(days => $2) where id = $1`,
    [id, days],
  );
}

describe("retention", () => {
  it("deletes files past their age in a pg-boss sweep, keeps the rows with their numbers, is idempotent, and answers 410", async () => {
    const token = await server.userWithCredits("keeper", 100);
    const storageDir = path.join(server.env.DATA_DIR!, "storage");
    const onDisk = (key: string) => existsSync(path.join(storageDir, key));

    const removed = await api(token, "/remove", { method: "POST", body: imageForm(photo, { tier: "basic" }) });
    expect(removed.status).toBe(200);
    const jobId: string = removed.body.data.jobId;
    const fresh = await api(token, "/remove", { method: "POST", body: imageForm(photo, { tier: "basic" }) });
    const freshId: string = fresh.body.data.jobId;

    const form = new FormData();
    form.set("tier", "basic");
    for (const name of ["a.jpg", "b.jpg"]) form.append("images", new Blob([photo]), name);
    const created = await api(token, "/batch", { method: "POST", body: form });
    expect(created.status).toBe(201);
    const batchId: string = created.body.data.batchId;
    await until(async () => (await api(token, `/batch/${batchId}`)).body.data.zipUrl, "the batch's ZIP");

    const [job] = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, jobId));
    const [batch] = await server.database.db.select().from(backgroundRemovalBatches).where(eq(backgroundRemovalBatches.id, batchId));
    expect(onDisk(job!.originalFilePath) && onDisk(job!.processedFilePath!) && onDisk(batch!.zipFilePath!)).toBe(true);

    // 10 days: past the originals' and ZIPs' 7, inside the results' 30.
    await age("background_removal_jobs", jobId, 10);
    await age("background_removal_batches", batchId, 10);

    // The cron's job, sent now instead of at minute 23: the server's worker runs it.
    const queue = await TaskQueue.start({ connectionString: server.database.url, expireInSeconds: 60 });
    try {
      await server.database.db.transaction((tx) => queue.enqueue(tx, "retentionSweep", [{}]));
    } finally {
      await queue.stop();
    }
    const swept = await until(
      async () => {
        const [row] = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, jobId));
        const [zip] = await server.database.db.select().from(backgroundRemovalBatches).where(eq(backgroundRemovalBatches.id, batchId));
        return row!.originalExpiredAt && zip!.zipExpiredAt ? { row: row!, zip: zip! } : null;
      },
      "the sweep",
      20_000,
    ).catch(async (error) => {
      console.log(await server.database.sql`select name, state, output from pgboss.job where name = 'retention-sweep'`);
      throw error;
    });

    expect(onDisk(job!.originalFilePath)).toBe(false);
    expect(onDisk(job!.processedFilePath!)).toBe(true);
    expect(onDisk(batch!.zipFilePath!)).toBe(false);
    // The rows stay, with their numbers.
    expect(swept.row).toMatchObject({
      status: "completed",
      creditUsed: job!.creditUsed,
      originalFileSize: job!.originalFileSize,
      processedFileSize: job!.processedFileSize,
      resultExpiredAt: null,
    });
    expect(swept.zip).toMatchObject({ status: "completed", finalTotal: batch!.finalTotal, zipFileSize: batch!.zipFileSize });
    // The fresh job (and the batch's young items' results) are untouched.
    const [young] = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.id, freshId));
    expect(young!.originalExpiredAt).toBeNull();
    expect(onDisk(young!.originalFilePath)).toBe(true);

    // Expired downloads: 410 with a code and a message that says what to do.
    const zipDownload = await api(token, `/batch/${batchId}/download`);
    expect(zipDownload.status).toBe(410);
    expect(zipDownload.body.error.code).toBe("FILE_EXPIRED");
    expect(zipDownload.body.error.message).toMatch(/Upload the image again/);
    expect((await api(token, `/batch/${batchId}`)).body.data.zipExpiredAt).toBe(swept.zip.zipExpiredAt!.toISOString());
    const view = (await api(token, `/jobs/${jobId}`)).body.data;
    expect(view.filesExpiredAt).toEqual({ original: swept.row.originalExpiredAt!.toISOString(), result: null });
    const original = await fetch(`${server.url}${view.originalUrl}`);
    expect(original.status).toBe(410);
    expect(((await original.json()) as any).error.code).toBe("FILE_EXPIRED");
    expect((await fetch(`${server.url}${view.processedUrl}`)).status).toBe(200);

    // A second sweep (another worker, the next hour) changes nothing.
    const retention = new RetentionService({
      db: server.database.db,
      storage: server.runtime.deps.storage,
      policy: { originalsDays: 7, resultsDays: 30, zipsDays: 7 },
      batchSize: 1,
    });
    const marks = async () =>
      server.database.sql`select id, original_expired_at, result_expired_at from background_removal_jobs order by id`;
    const before = await marks();
    expect(await retention.sweep(new Date())).toEqual({ originals: 0, results: 0, zips: 0 });
    expect(await marks()).toEqual(before);

    // 40 days: the result goes too; batched one row per transaction.
    await age("background_removal_jobs", jobId, 30);
    expect(await retention.sweep(new Date())).toEqual({ originals: 0, results: 1, zips: 0 });
    expect(onDisk(job!.processedFilePath!)).toBe(false);
    expect((await fetch(`${server.url}${view.processedUrl}`)).status).toBe(410);
    const [counted] = await server.database.db
      .select({ expired: sql<number>`count(*)::int` })
      .from(backgroundRemovalJobs)
      .where(isNotNull(backgroundRemovalJobs.resultExpiredAt));
    expect(counted?.expired).toBe(1);
  });
});
