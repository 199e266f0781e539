import { isDomainError } from "@bgr/domain";
import { describe, expect, it } from "vitest";
import { RetentionService } from "../src/retention/retention.service.ts";
import { inMemoryDatabase } from "./in-memory/database.ts";
import { InMemoryRetention, type FileKind, type HeldFiles } from "./in-memory/retention.ts";
import { InMemoryStorage } from "./in-memory/storage.ts";

const NOW = new Date("2026-12-04T00:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const policy = { originalsDays: 7, resultsDays: 30, zipsDays: 7 };

async function setup(rows: Omit<HeldFiles, "expiredAt">[], batchSize?: number) {
  const retention = new InMemoryRetention();
  const storage = new InMemoryStorage();
  retention.rows = rows.map((row) => ({ ...row, expiredAt: null }));
  for (const row of rows) for (const key of row.keys) await storage.put(key, Buffer.from(key));
  const service = new RetentionService({ db: inMemoryDatabase(retention), storage, policy, batchSize, repository: retention.repository });
  return { retention, storage, service };
}

const held = (id: string, kind: FileKind, ageDays: number): Omit<HeldFiles, "expiredAt"> => ({
  id,
  kind,
  settledAt: daysAgo(ageDays),
  keys: [`${kind}/${id}`],
});

describe("RetentionService over an in-memory repository", () => {
  it("deletes each kind of file past its own keeping period and marks the rows, keeping younger files", async () => {
    const { retention, storage, service } = await setup([
      held("j1", "original", 8),
      held("j2", "original", 6),
      held("j1", "result", 8), // results are kept 30 days
      held("j3", "result", 31),
      held("b1", "zip", 7.5),
    ]);
    expect(await service.sweep(NOW)).toEqual({ originals: 1, results: 1, zips: 1 });
    expect([...storage.objects.keys()].sort()).toEqual(["original/j2", "result/j1"]);
    expect(retention.rows.filter((row) => row.expiredAt).map((row) => `${row.kind}/${row.id}`)).toEqual([
      "original/j1",
      "result/j3",
      "zip/b1",
    ]);
    expect(retention.cutoffs.result[0]).toEqual(daysAgo(30));
  });

  it("drains more rows than one batch, a batch per transaction, and a second sweep finds nothing", async () => {
    const { retention, storage, service } = await setup(
      Array.from({ length: 5 }, (_, i) => held(`j${i}`, "original", 10)),
      2,
    );
    expect(await service.sweep(NOW)).toEqual({ originals: 5, results: 0, zips: 0 });
    expect(retention.cutoffs.original).toHaveLength(3); // 2 + 2 + 1 (< a full batch: done)
    expect(storage.objects.size).toBe(0);
    expect(await service.sweep(NOW)).toEqual({ originals: 0, results: 0, zips: 0 });
  });

  it("leaves rows unmarked when deleting their files fails, so the next sweep tries again", async () => {
    const { retention, storage, service } = await setup([held("j1", "original", 10)]);
    storage.delete = async () => {
      throw new Error("bucket unreachable");
    };
    await expect(service.sweep(NOW)).rejects.toThrow("bucket unreachable");
    expect(retention.rows[0]?.expiredAt).toBeNull();
  });

  it("tells an expired file (410, with its date) from one that never existed", async () => {
    const { service } = await setup([held("j1", "original", 10)]);
    await service.sweep(NOW);
    const expired = await service.missingFileError("original/j1");
    expect(isDomainError(expired, "FILE_EXPIRED") && expired.message).toContain("2026-12-04");
    expect((await service.missingFileError("original/nope")).code).toBe("NOT_FOUND");
  });
});
