import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import pg from "pg";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, migrateDatabase, runningEmbeddedUrl, startEmbeddedPostgres, users, type EmbeddedPostgres } from "../src/index.ts";

describe("embedded PostgreSQL (PGlite over TCP)", () => {
  let root: string;
  let dataDir: string;
  let server: EmbeddedPostgres;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "bgr-embedded-"));
    dataDir = join(root, "pg");
    server = await startEmbeddedPostgres({ dataDir, transactionWaitTimeoutMs: 1_000 });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves a postgres:// URL on an OS-assigned port", () => {
    expect(server.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it("runs the migrations and drizzle queries through postgres.js", async () => {
    const { db, close } = createDatabase(server.url, { max: 4 });
    try {
      await migrateDatabase(db);
      await migrateDatabase(db); // no-op
      await db.insert(users).values({ id: "persisted", creditBalance: 5 });
      const [row] = await db.select().from(users).where(eq(users.id, "persisted"));
      expect(row?.creditBalance).toBe(5);
      await expect(db.update(users).set({ creditBalance: -1 }).where(eq(users.id, "persisted"))).rejects.toMatchObject({
        cause: { code: "23514" },
      });
    } finally {
      await close();
    }
  });

  it("serves concurrent transactions from a postgres.js pool without lost updates or protocol errors", async () => {
    // pglite-socket 0.2.17 fails this with `portal "" does not exist` (messages interleave across connections).
    const { db, sql: client, close } = createDatabase(server.url, { max: 8 });
    try {
      await db.insert(users).values({ id: "counter" });
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) =>
          db.transaction(async (tx) => {
            const [row] = await tx.select().from(users).where(eq(users.id, "counter"));
            await new Promise((resolve) => setTimeout(resolve, i % 3));
            await tx
              .update(users)
              .set({ creditBalance: row!.creditBalance + 1 })
              .where(eq(users.id, "counter"));
          }),
        ),
      );
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      const [row] = await db.select().from(users).where(eq(users.id, "counter"));
      expect(row?.creditBalance).toBe(100);

      // Mixed shapes, errors in between: every query still gets its own answer.
      const answers = await Promise.allSettled(
        Array.from({ length: 150 }, (_, i) =>
          i % 5 === 0 ? client`select 1 / ${0}::int` : client`select ${i}::int as n, ${"x".repeat(i)} as pad`,
        ),
      );
      answers.forEach((answer, i) => {
        if (i % 5 === 0) expect(answer.status).toBe("rejected");
        else expect(answer).toMatchObject({ status: "fulfilled", value: [{ n: i }] });
      });
    } finally {
      await close();
    }
  });

  it("serves a node-postgres pool (what pg-boss uses) alongside postgres.js", async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 6 });
    const { sql: client, close } = createDatabase(server.url, { max: 4 });
    try {
      await client`create table if not exists queue_probe (id serial primary key, state text not null)`;
      await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          if (i % 2) {
            await client.begin(async (tx) => {
              await tx`insert into queue_probe (state) values (${"js"})`;
            });
            return;
          }
          const conn = await pool.connect();
          try {
            await conn.query("begin");
            await conn.query("insert into queue_probe (state) values ($1)", ["pg"]);
            // pg-boss's fetch pattern.
            await conn.query("select id from queue_probe where state = $1 order by id limit 1 for update skip locked", ["pg"]);
            await conn.query("commit");
          } finally {
            conn.release();
          }
        }),
      );
      const counts = await pool.query<{ state: string; n: number }>(
        "select state, count(*)::int as n from queue_probe group by state order by state",
      );
      expect(counts.rows).toEqual([
        { state: "js", n: 20 },
        { state: "pg", n: 20 },
      ]);
    } finally {
      await pool.end();
      await close();
    }
  });

  it("rolls back the transaction of a client that disconnects mid-transaction", async () => {
    const quitter = postgres(server.url, { max: 1, onnotice: () => {} });
    const other = postgres(server.url, { max: 1, onnotice: () => {} });
    try {
      await other`create table if not exists disconnect_probe (n int)`;
      const reserved = await quitter.reserve();
      await reserved`begin`;
      await reserved`insert into disconnect_probe values (1)`;
      const waiting = other`select count(*)::int as n from disconnect_probe`; // queued behind the transaction
      await quitter.end({ timeout: 0 });
      const [row] = await waiting;
      expect(row?.n).toBe(0);
    } finally {
      await other.end();
    }
  });

  it("fails a query stuck behind an idle transaction instead of hanging forever", async () => {
    const { db, close } = createDatabase(server.url, { max: 2 });
    try {
      // The classic mistake: querying through `db` instead of `tx` inside a transaction. Real
      // PostgreSQL runs both; here the outer query would wait for the transaction forever.
      const attempt = db.transaction(async (tx) => {
        await tx.insert(users).values({ id: "rolled-back" });
        await db.select().from(users).limit(1);
      });
      await expect(attempt).rejects.toMatchObject({ cause: { code: "55P03" } });
      // The transaction rolled back (its callback threw) and the pool works normally again.
      expect(await db.select().from(users).where(eq(users.id, "rolled-back"))).toEqual([]);
      const results = await Promise.all([1, 2, 3].map((n) => db.execute(sql`select ${n}::int as n`)));
      expect(results.map((rows) => rows[0])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    } finally {
      await close();
    }
  });

  it("refuses a second server on the same data directory and tells others where it is", async () => {
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already open in process \d+ \(serving postgres:/);
    expect(runningEmbeddedUrl(dataDir)).toBe(server.url);
    expect(runningEmbeddedUrl(join(root, "elsewhere"))).toBeNull();
  });

  it("explains a port that is already taken", async () => {
    await expect(startEmbeddedPostgres({ dataDir: join(root, "other"), port: server.port })).rejects.toThrow(/port is in use/);
    expect(runningEmbeddedUrl(join(root, "other"))).toBeNull(); // its lock was released
  });

  it("keeps the data across stop and start on the same directory", async () => {
    await server.stop();
    expect(runningEmbeddedUrl(dataDir)).toBeNull();
    server = await startEmbeddedPostgres({ dataDir });
    const { db, close } = createDatabase(server.url, { max: 2 });
    try {
      await migrateDatabase(db); // already applied: no-op
      const rows = await db.select().from(users).where(eq(users.id, "persisted"));
      expect(rows.map((row) => row.creditBalance)).toEqual([5]);
    } finally {
      await close();
    }
  });
});
