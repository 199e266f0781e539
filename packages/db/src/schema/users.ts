import { sql } from "drizzle-orm";
import { check, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, oneOf } from "./columns.ts";

export const USER_ROLES = ["user", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * One row per account. A platform account's `id` is the JWT `sub`; a standalone account (email +
 * password) gets a generated `usr_…` id and a `passwordHash`.
 */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").unique(),
    role: text("role", { enum: USER_ROLES }).notNull().default("user"),
    // Cached sum of the ledger; the CHECK is the last line of defence against overdrafts.
    creditBalance: integer("credit_balance").notNull().default(0),
    /** `scrypt$N$r$p$salt$hash` (parameters kept with the hash so they can be raised later); null: no password sign-in. */
    passwordHash: text("password_hash"),
    /** Notification kinds (NOTIFICATION_KINDS in @bgr/domain) the user asked not to be mailed about. */
    mailOptOuts: text("mail_opt_outs")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [check("users_role_check", oneOf(t.role, USER_ROLES)), check("users_credit_balance_check", sql`${t.creditBalance} >= 0`)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
