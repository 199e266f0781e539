import { setTimeout as sleep } from "node:timers/promises";
import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskQueue, maintenanceIntervalFor } from "../src/queue/task-queue.ts";
import { QUEUES } from "../src/queue/queues.ts";

const LEASE_SECONDS = 3;
let database: TestDatabase;
let queue: TaskQueue;

beforeAll(async () => {
  database = await createTestDatabase();
  queue = await TaskQueue.start({ connectionString: database.url, expireInSeconds: LEASE_SECONDS });
});
afterAll(async () => {
  await queue?.stop();
  await database?.close();
});

async function state(id: string): Promise<{ state: string; retry_count: number } | undefined> {
  const [row] = (await database.sql`select state, retry_count from pgboss.job where id = ${id}`) as unknown as {
    state: string;
    retry_count: number;
  }[];
  return row;
}

describe("TaskQueue leases", () => {
  it("finds expired leases often: a quarter of the lease, at most every 30 s", () => {
    expect([3, 10, 30, 60, 900].map(maintenanceIntervalFor)).toEqual([1, 2, 7, 15, 30]);
  });

  it("renews the lease of a running job: an item three leases long runs once", async () => {
    const runs: string[] = [];
    const id = "5b1d7a4e-0000-4000-8000-000000000001";
    await queue.work("batchFinalize", 1, async (job) => {
      if (job.data.batchId !== "long") return;
      runs.push(job.id);
      await sleep(LEASE_SECONDS * 3 * 1000);
    });
    await database.db.transaction((tx) => queue.enqueue(tx, "batchFinalize", [{ batchId: "long" }], [id]));
    const deadline = Date.now() + 60_000;
    while ((await state(id))?.state !== "completed" && Date.now() < deadline) await sleep(250);
    expect(await state(id)).toEqual({ state: "completed", retry_count: 0 });
    expect(runs).toEqual([id]);
  });

  it("gives a job whose worker went silent (fetched, never renewed) to a live worker after its lease", async () => {
    // A worker that takes the job and dies: plain pg-boss, no lease renewal, never completes.
    const dead = new PgBoss({ connectionString: database.url, supervise: false, schedule: false });
    await dead.start();
    const id = "5b1d7a4e-0000-4000-8000-000000000002";
    try {
      await database.db.transaction((tx) => queue.enqueue(tx, "pipelineStep", [{ jobId: "orphan" }], [id]));
      const [taken] = await dead.fetch(QUEUES.pipelineStep.name);
      expect(taken?.id).toBe(id);
      const lostAt = Date.now();
      const rescued = new Promise<number>((resolve) => {
        void queue.work("pipelineStep", 1, async (job) => {
          if (job.id === id) resolve(Date.now() - lostAt);
        });
      });
      const ms = await Promise.race([rescued, sleep(60_000).then(() => Infinity)]);
      console.info(
        `a lost job was retried ${ms} ms after it was taken (lease ${LEASE_SECONDS} s, retry delay ${QUEUES.pipelineStep.options.retryDelay} s)`,
      );
      // Lease + a maintenance interval + the queue's retry delay (with backoff) + polling.
      expect(ms).toBeLessThan(
        (LEASE_SECONDS + maintenanceIntervalFor(LEASE_SECONDS) + QUEUES.pipelineStep.options.retryDelay * 2 + 5) * 1000,
      );
    } finally {
      await dead.stop({ graceful: false, wait: false });
    }
  });
});

describe("TaskQueue start-up", () => {
  it("several processes starting at once on a fresh database all start (pg-boss's queue DDL can deadlock; the loser retries)", async () => {
    for (let round = 0; round < 3; round++) {
      const fresh = await createTestDatabase();
      try {
        const queues = await Promise.all(
          Array.from({ length: 4 }, () => TaskQueue.start({ connectionString: fresh.url, expireInSeconds: 30 })),
        );
        await Promise.all(queues.map((q) => q.stop()));
      } finally {
        await fresh.close();
      }
    }
  });
});
