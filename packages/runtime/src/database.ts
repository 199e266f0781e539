import path from "node:path";
import { createDatabase, migrateDatabase, runningEmbeddedUrl, startEmbeddedPostgres, type DatabaseHandle } from "@bgr/db";

/**
 * Without DATABASE_URL: `start` the embedded PostgreSQL under DATA_DIR (a server; `port` 0 = any free
 * one), `join` the one a server on this machine already runs (a worker daemon), or `join-or-start`
 * (the admin CLI, which works whether the server is up or not).
 */
export type EmbeddedMode = { mode: "start"; port: number } | { mode: "join" } | { mode: "join-or-start" };

export interface DatabaseConnectOptions {
  /** Names this process's database connections (pg_stat_activity). */
  applicationName: string;
  embedded: EmbeddedMode;
  /** The pool's size; default the driver's. */
  maxConnections?: number;
}

export interface OpenDatabase {
  database: DatabaseHandle;
  databaseUrl: string;
  /** Whether this process started the embedded PostgreSQL. */
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL or the embedded PostgreSQL, and brings its schema up to date. */
export async function openDatabase(
  env: { DATABASE_URL?: string; DATA_DIR: string },
  options: DatabaseConnectOptions,
): Promise<OpenDatabase> {
  const dataDir = path.join(env.DATA_DIR, "postgres");
  const mode = options.embedded.mode;
  const running = env.DATABASE_URL || mode === "start" ? null : runningEmbeddedUrl(dataDir);
  const embedded =
    env.DATABASE_URL || running || mode === "join"
      ? null
      : await startEmbeddedPostgres({ dataDir, ...(options.embedded.mode === "start" ? { port: options.embedded.port } : {}) });
  const databaseUrl = env.DATABASE_URL ?? running ?? embedded?.url;
  if (!databaseUrl)
    throw new Error(
      "No DATABASE_URL and no server running the embedded database in DATA_DIR: start the server first, or set DATABASE_URL.",
    );
  const database = createDatabase(databaseUrl, {
    applicationName: options.applicationName,
    ...(options.maxConnections ? { max: options.maxConnections } : {}),
  });
  await migrateDatabase(database.db);
  return {
    database,
    databaseUrl,
    embedded: embedded !== null,
    async close() {
      await database.close();
      await embedded?.stop();
    },
  };
}
