import { readFile } from "node:fs/promises";
import path from "node:path";
import { RetentionService, S3Storage } from "@bgr/core";
import { startS3Server, type TestS3Server } from "@bgr/testing";
import { backgroundRemovalBatches, backgroundRemovalJobs } from "@bgr/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "./harness.ts";

let s3: TestS3Server;
let server: TestServer;
let bucket: S3Storage;

beforeAll(async () => {
  s3 = await startS3Server("bgr-e2e");
  // The SDK's standard credential chain, as an operator would set it.
  process.env.AWS_ACCESS_KEY_ID = s3.credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey;
  server = await startTestServer({
    RUN_WORKER: "true",
    BATCH_RATE_LIMIT_PER_HOUR: "100",
    QUEUE_EXPIRE_SECONDS: "60",
    STORAGE_DRIVER: "s3",
    S3_BUCKET: s3.bucket,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_FORCE_PATH_STYLE: "true",
  });
  bucket = new S3Storage({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: s3.credentials,
  });
});
afterAll(async () => {
  bucket?.close();
  await server?.close();
  await s3?.close();
});

async function api(token: string, route: string, init: RequestInit = {}) {
  return fetch(`${server.api}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
}

describe("a batch on S3-compatible storage", () => {
  it("uploads, processes, zips and serves ranges from the bucket, and retention deletes from it", async () => {
    const token = await server.userWithCredits("s3-user", 100);
    const photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
    const form = new FormData();
    form.set("tier", "basic");
    for (const name of ["a.jpg", "b.jpg"]) form.append("images", new Blob([photo]), name);
    const created = await api(token, "/batch", { method: "POST", body: form });
    expect(created.status).toBe(201);
    const batchId: string = ((await created.json()) as any).data.batchId;

    const deadline = Date.now() + 240_000;
    let view: any;
    for (;;) {
      view = ((await (await api(token, `/batch/${batchId}`)).json()) as any).data;
      if (view.zipUrl) break;
      if (Date.now() > deadline) throw new Error(`batch ${batchId} did not finish: ${JSON.stringify(view.progress)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(view.progress).toMatchObject({ processedImages: 2, failedImages: 0 });

    // Every file is an object in the bucket (and none on local disk is needed to serve it).
    const [batch] = await server.database.db.select().from(backgroundRemovalBatches).where(eq(backgroundRemovalBatches.id, batchId));
    const items = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.batchId, batchId));
    const zipSize = await bucket.size(batch!.zipFilePath!);
    expect(zipSize).toBe(batch!.zipFileSize);
    for (const item of items) {
      expect(await bucket.size(item.originalFilePath)).toBe(item.originalFileSize);
      expect(await bucket.size(item.processedFilePath!)).toBe(item.processedFileSize);
    }

    // The ZIP whole, and a byte range of it, straight from the bucket.
    const whole = Buffer.from(await (await api(token, `/batch/${batchId}/download`)).arrayBuffer());
    expect(whole.length).toBe(zipSize);
    expect(whole.subarray(0, 2).toString("latin1")).toBe("PK");
    const ranged = await api(token, `/batch/${batchId}/download`, { headers: { range: "bytes=100-199" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 100-199/${zipSize}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(whole.subarray(100, 200))).toBe(true);
    // A result through its signed link.
    const item = view.items[0];
    expect((await fetch(`${server.url}${item.processedUrl}`)).status).toBe(200);

    // Retention deletes the bucket's objects past their age; the download then answers 410.
    await server.database
      .sql`update background_removal_batches set created_at = created_at - interval '10 days', completed_at = completed_at - interval '10 days' where id = ${batchId}`;
    const retention = new RetentionService({
      db: server.database.db,
      storage: server.runtime.deps.storage,
      policy: { originalsDays: 7, resultsDays: 30, zipsDays: 7 },
    });
    expect((await retention.sweep(new Date())).zips).toBe(1);
    expect(await bucket.size(batch!.zipFilePath!)).toBeNull();
    expect((await api(token, `/batch/${batchId}/download`)).status).toBe(410);
  });
});

describe("presigned downloads (S3_PRESIGNED_DOWNLOADS=true)", () => {
  it("redirects signed file links to short-lived bucket URLs that serve the bytes, after checking the link", async () => {
    const direct = await startTestServer(
      {
        STORAGE_DRIVER: "s3",
        S3_BUCKET: s3.bucket,
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: s3.region,
        S3_FORCE_PATH_STYLE: "true",
        S3_PRESIGNED_DOWNLOADS: "true",
      },
      server.database,
    );
    try {
      const [batch] = await server.database.db
        .select()
        .from(backgroundRemovalBatches)
        .where(eq(backgroundRemovalBatches.userId, "s3-user"));
      const [item] = await server.database.db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.batchId, batch!.id));
      const token = await direct.token("s3-user");
      const view = (
        (await (await fetch(`${direct.api}/jobs/${item!.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any
      ).data;
      const link = await fetch(`${direct.url}${view.processedUrl}`, { redirect: "manual" });
      expect(link.status).toBe(302);
      const location = link.headers.get("location")!;
      expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/`)).toBe(true);
      expect(location).toContain("X-Amz-Signature=");
      const bytes = Buffer.from(await (await fetch(location)).arrayBuffer());
      expect(bytes.length).toBe(item!.processedFileSize);
      // The link is still checked first: a forged signature gets no bucket URL.
      expect(
        (await fetch(`${direct.url}${view.processedUrl.replace(/signature=[^&]+/, "signature=forged")}`, { redirect: "manual" })).status,
      ).toBe(403);
    } finally {
      await direct.close();
    }
  });
});
