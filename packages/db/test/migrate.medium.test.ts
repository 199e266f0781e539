import { existsSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, MIGRATIONS_FOLDER, migrateDatabase } from "../src/index.ts";
import { createTestDatabase, testDatabaseAdminUrl, type TestDatabase } from "../src/testing.ts";

const TABLES = [
  "api_keys",
  "background_removal_batches",
  "background_removal_jobs",
  "background_remover_subscription_usage",
  "background_remover_subscriptions",
  "credit_ledger",
  "idempotency_keys",
  "login_failures",
  "password_resets",
  "payments",
  "result_matte_versions",
  "sent_notifications",
  "sessions",
  "users",
];

async function publicTables(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' order by table_name`;
  return rows.map((row) => row.name);
}

async function appliedMigrations(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
  return row!.n;
}

describe("migrations", () => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => {
    await test?.close();
  });

  it("resolve the repo-root drizzle/ folder independently of the cwd", () => {
    expect(existsSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"))).toBe(true);
  });

  it("create every table on a fresh database", async () => {
    expect(await publicTables(test.sql)).toEqual(TABLES);
    expect(await appliedMigrations(test.sql)).toBeGreaterThan(0);
  });

  it("are a no-op the second time", async () => {
    const before = await appliedMigrations(test.sql);
    await migrateDatabase(test.db);
    expect(await appliedMigrations(test.sql)).toBe(before);
    expect(await publicTables(test.sql)).toEqual(TABLES);
  });

  it("survive several processes migrating one empty database at once", async () => {
    // An empty database (createTestDatabase would migrate it) and separate pools, like separate processes.
    const adminUrl = testDatabaseAdminUrl();
    const name = `bgr_test_concurrent_${Date.now().toString(36)}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const handles = Array.from({ length: 4 }, () => createDatabase(url.toString(), { max: 2 }));
    try {
      const results = await Promise.allSettled(handles.map((handle) => migrateDatabase(handle.db)));
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect(await publicTables(handles[0]!.sql)).toEqual(TABLES);
      const journal = (await import(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), { with: { type: "json" } })).default as {
        entries: unknown[];
      };
      expect(await appliedMigrations(handles[0]!.sql)).toBe(journal.entries.length);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
