import { z } from "zod";

/** The database's setting, for an app's env.ts to compose. */
export const databaseSettingsSchema = z.object({
  /** Unset (development mode only): the embedded PostgreSQL (PGlite) under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
});
