import { sql } from "drizzle-orm";
import { check, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, oneOf } from "./columns.ts";

export const USER_ROLES = ["user", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** One row per platform account; `id` is the JWT `sub`, so it is never generated here. */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").unique(),
    role: text("role", { enum: USER_ROLES }).notNull().default("user"),
    // Cached sum of the ledger; the CHECK is the last line of defence against overdrafts.
    creditBalance: integer("credit_balance").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    check("users_role_check", oneOf(t.role, USER_ROLES)),
    check("users_credit_balance_check", sql`${t.creditBalance} >= 0`),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
