import type { Transaction } from "@bgr/db";
import { sql } from "drizzle-orm";

/**
 * Serialises one user's paid operations (rate-limit count, quota, debit) for the rest of the
 * transaction, across every server process sharing the database. Other users are not blocked.
 */
export async function lockUser(tx: Transaction, userId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`user:${userId}`}, 0))`);
}
