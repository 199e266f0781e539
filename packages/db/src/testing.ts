import { randomBytes } from "node:crypto";
import { parseSettings } from "@bgr/domain";
import postgres from "postgres";
import { createDatabase, type Database } from "./client.ts";
import { migrateDatabase } from "./migrate.ts";
import { testDatabaseSettingsSchema } from "./settings.ts";

/** The PostgreSQL server medium tests create their databases on: TEST_DATABASE_URL, else local trust-auth PostgreSQL. */
export function testDatabaseAdminUrl(): string {
  return parseSettings(testDatabaseSettingsSchema, process.env, "Invalid test database setting").TEST_DATABASE_URL;
}

export interface TestDatabase {
  /** URL of the fresh database, e.g. for pg-boss or a server under test. */
  url: string;
  db: Database;
  sql: postgres.Sql;
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Server to create the database on; default testDatabaseAdminUrl(). */
  adminUrl?: string;
  /** Pool size for `db` (default 5). */
  max?: number;
}

/**
 * A new, migrated, uniquely named database on a real PostgreSQL server — for medium tests.
 * Each call is isolated from every other test file and run; `close()` drops it.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = options.adminUrl ?? testDatabaseAdminUrl();
  const name = `bgr_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;

  await withAdmin(adminUrl, async (admin) => {
    await admin.unsafe(`create database "${name}"`);
  });

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = createDatabase(url.toString(), { max: options.max ?? 5, applicationName: "bgr-test" });
  try {
    await migrateDatabase(handle.db);
  } catch (error) {
    await handle.close();
    await dropDatabase(adminUrl, name);
    throw error;
  }

  return {
    url: url.toString(),
    db: handle.db,
    sql: handle.sql,
    async close() {
      await handle.close();
      await dropDatabase(adminUrl, name);
    },
  };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, async (admin) => {
    // FORCE (PostgreSQL 13+) ends connections a test leaked instead of failing the drop.
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  });
}

async function withAdmin(adminUrl: string, run: (admin: postgres.Sql) => Promise<void>): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await run(admin);
  } catch (error) {
    const where = new URL(adminUrl);
    where.password = "";
    throw new Error(
      `Test database setup failed on ${where.toString()}: ${(error as Error).message}. ` +
        "Start PostgreSQL there (trust auth for user postgres) or set TEST_DATABASE_URL.",
      { cause: error },
    );
  } finally {
    await admin.end({ timeout: 5 });
  }
}
