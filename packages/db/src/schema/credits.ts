import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf } from "./columns.ts";
import { users } from "./users.ts";

/** Widening this list needs a migration (the CHECK below). */
export const LEDGER_REASONS = ["removal", "batch", "refund", "grant", "purchase", "adjustment"] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

/**
 * Append-only: one row per change of `users.credit_balance`, written in the same transaction.
 * `idempotencyKey` makes retried charges/refunds (queue redelivery, client retries) no-ops.
 */
export const creditLedger = pgTable(
  "credit_ledger",
  {
    id: idColumn("led"),
    // No cascade: deleting a user with money history must be a deliberate decision.
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    delta: integer("delta").notNull(),
    reason: text("reason", { enum: LEDGER_REASONS }).notNull(),
    referenceType: text("reference_type"),
    referenceId: text("reference_id"),
    balanceAfter: integer("balance_after").notNull(),
    idempotencyKey: text("idempotency_key").unique(),
    /** Why, in words, for movements a person made (an admin's grant); null for the automatic ones. */
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [
    index("credit_ledger_user_id_created_at_idx").on(t.userId, t.createdAt.desc()),
    check("credit_ledger_reason_check", oneOf(t.reason, LEDGER_REASONS)),
    check("credit_ledger_balance_after_check", sql`${t.balanceAfter} >= 0`),
  ],
);

export type LedgerEntry = typeof creditLedger.$inferSelect;
export type NewLedgerEntry = typeof creditLedger.$inferInsert;
