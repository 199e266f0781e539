import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { backgroundRemovalJobs, users } from "@bgr/db";
import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import { isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetentionService, retentionCutoffs } from "../src/retention/retention.service.ts";
import { LocalStorage } from "../src/storage/local-storage.ts";

const NOW = new Date("2026-06-30T12:00:00Z");
const policy = { originalsDays: 7, resultsDays: 30, zipsDays: 7 };
let database: TestDatabase;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase({ max: 10 });
  dir = await mkdtemp(path.join(os.tmpdir(), "bgr-retention-"));
});
afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("retentionCutoffs", () => {
  it("counts each kind's days back from now", () => {
    expect(retentionCutoffs(policy, NOW)).toEqual({
      originals: new Date("2026-06-23T12:00:00Z"),
      results: new Date("2026-05-31T12:00:00Z"),
      zips: new Date("2026-06-23T12:00:00Z"),
    });
  });
});

describe("RetentionService.sweep", () => {
  it("two concurrent sweeps (two workers) split the due rows without sharing one, and skip running jobs", async () => {
    const storage = new LocalStorage(dir);
    await database.db.insert(users).values({ id: "old-user" });
    const settled = new Date(NOW.getTime() - 10 * 86_400_000);
    const rows = Array.from({ length: 9 }, (_, i) => ({
      id: `job_old_${i}`,
      userId: "old-user",
      originalFileName: "a.jpg",
      originalFilePath: `users/old-user/jobs/${i}/original.jpg`,
      originalFileSize: 3,
      tier: "basic" as const,
      // The last one is still processing: its original is in use, whatever its age.
      status: i === 8 ? ("processing" as const) : ("completed" as const),
      creditUsed: 1,
      pricingType: "credits" as const,
      createdAt: settled,
      completedAt: i === 8 ? null : settled,
    }));
    await database.db.insert(backgroundRemovalJobs).values(rows);
    for (const row of rows) await storage.put(row.originalFilePath, Buffer.from("abc"));

    const worker = () => new RetentionService({ db: database.db, storage, policy, batchSize: 2 }).sweep(NOW);
    const [a, b] = await Promise.all([worker(), worker()]);
    expect(a.originals + b.originals).toBe(8);
    for (const row of rows.slice(0, 8)) expect(await storage.size(row.originalFilePath)).toBeNull();
    expect(await storage.size(rows[8]!.originalFilePath)).toBe(3);
    expect(await database.db.$count(backgroundRemovalJobs, isNotNull(backgroundRemovalJobs.originalExpiredAt))).toBe(8);

    expect(await worker()).toEqual({ originals: 0, results: 0, zips: 0 });
  });
});

describe("RetentionService.missingFileError", () => {
  it("says FILE_EXPIRED for a file retention deleted, NOT_FOUND otherwise", async () => {
    const retention = new RetentionService({ db: database.db, storage: new LocalStorage(dir), policy });
    expect((await retention.missingFileError("users/old-user/jobs/0/original.jpg")).code).toBe("FILE_EXPIRED");
    expect((await retention.missingFileError("users/old-user/jobs/8/original.jpg")).code).toBe("NOT_FOUND");
    expect((await retention.missingFileError("users/nobody/jobs/x/result.png")).code).toBe("NOT_FOUND");
  });
});
