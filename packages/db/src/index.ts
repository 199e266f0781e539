export { createDatabase } from "./client.ts";
export type { Database, DatabaseHandle, DatabaseOptions, Executor, Schema, Transaction } from "./client.ts";
export { MIGRATIONS_FOLDER, migrateDatabase } from "./migrate.ts";
export { runningEmbeddedUrl, startEmbeddedPostgres } from "./embedded.ts";
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from "./embedded.ts";
export * from "./schema/index.ts";
export { databaseSettingsSchema } from "./settings.ts";
