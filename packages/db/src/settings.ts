import { z } from "zod";

/** The database's setting, for an app's env.ts to compose. */
export const databaseSettingsSchema = z.object({
  /** Unset (development mode only): the embedded PostgreSQL (PGlite) under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
});

/** The test kit's setting (`@bgr/db/testing`): the PostgreSQL server medium tests create their databases on. */
export const testDatabaseSettingsSchema = z.object({
  TEST_DATABASE_URL: z.string().url().default("postgres://postgres@127.0.0.1:5432/postgres"),
});
