import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema> & { $client: postgres.Sql };
/** What `db.transaction(async (tx) => …)` hands to its callback; repositories accept `Database | Transaction`. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either a database or an open transaction: lets repositories join the caller's transaction. */
export type Executor = Database | Transaction;

export interface DatabaseOptions {
  /** Pool size (postgres.js default: 10). */
  max?: number;
  /** Shown in `pg_stat_activity`, e.g. "bgr-server". */
  applicationName?: string;
}

export interface DatabaseHandle {
  db: Database;
  /** The underlying postgres.js client, for raw SQL the query builder cannot express. */
  sql: postgres.Sql;
  /** Closes the pool, waiting up to 5 s for queries in flight. */
  close(): Promise<void>;
}

/** Opens a connection pool. Only app entry points (and tests) call this; everything else receives `db`. */
export function createDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    // NOTICEs ("relation already exists, skipping" from idempotent migrations) are not actionable.
    onnotice: () => {},
    ...(options.applicationName ? { connection: { application_name: options.applicationName } } : {}),
  });
  const db = drizzle(sql, { schema });
  return {
    db,
    sql,
    close: () => sql.end({ timeout: 5 }),
  };
}
