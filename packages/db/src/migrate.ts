import { fileURLToPath } from "node:url";
import { PgDialect } from "drizzle-orm/pg-core";
import { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { PostgresJsSession, PostgresJsTransaction } from "drizzle-orm/postgres-js/session";
import type { Sql, TransactionSql } from "postgres";
import type { Database } from "./client.ts";

/**
 * The SQL migrations, found from this file so migrating works from any cwd: from source, the repo-root
 * `drizzle/`; compiled, the copy the build puts in `dist/drizzle/`, so a deployed package carries them.
 */
export const MIGRATIONS_FOLDER = fileURLToPath(
  new URL(import.meta.url.endsWith(".ts") ? "../../../drizzle/" : "./drizzle/", import.meta.url),
);

/** Any key works as long as nothing else in the database takes the same advisory lock. */
const MIGRATION_LOCK_NAME = "@bgr/db:migrate";

/**
 * Applies pending migrations from `drizzle/`. Safe to call on every start: already-applied
 * migrations are skipped, and concurrent callers (server and worker starting together)
 * queue on a transaction-scoped advisory lock, so the second one finds nothing left to do.
 *
 * Everything — drizzle's bookkeeping table included — runs in one transaction holding the lock.
 * A session lock on a separate connection would also work on a real server, but not on the
 * embedded one, where all connections share one session (advisory locks are re-entrant there)
 * and a transaction on one connection blocks the others.
 */
export async function migrateDatabase(db: Database): Promise<void> {
  await db.$client.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${MIGRATION_LOCK_NAME}))`;
    const dialect = new PgDialect();
    const session = new InTransactionSession(tx, dialect);
    await migrate(new PostgresJsDatabase(dialect, session, undefined), { migrationsFolder: MIGRATIONS_FOLDER });
  });
}

type TransactionSession = ConstructorParameters<typeof PostgresJsTransaction<Record<string, never>, Record<string, never>>>[1];

/**
 * drizzle's migrator opens its own transaction; inside ours that must be a no-op
 * (postgres.js transaction clients have no `begin`).
 */
class InTransactionSession extends PostgresJsSession<Sql, Record<string, never>, Record<string, never>> {
  readonly #dialect: PgDialect;

  constructor(client: TransactionSql, dialect: PgDialect) {
    // drizzle itself runs sessions on transaction clients; postgres.js's typings just omit a few pool-only members.
    super(client as unknown as Sql, dialect, undefined);
    this.#dialect = dialect;
  }

  override transaction<T>(run: (tx: PostgresJsTransaction<Record<string, never>, Record<string, never>>) => Promise<T>): Promise<T> {
    return run(new PostgresJsTransaction(this.#dialect, this as unknown as TransactionSession, undefined));
  }
}
