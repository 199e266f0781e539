import { index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, timestamptz } from "./columns.ts";
import { users } from "./users.ts";

/**
 * Standalone sign-in sessions (the platform's JWT needs none). Only the SHA-256 of the cookie's token
 * is stored, so a database leak signs nobody in.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: idColumn("ses"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    /** Signing out (here or everywhere) and a password reset set this. */
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

/** Single-use password-reset tokens: `usedAt` is set by the one UPDATE that accepts a token. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: idColumn("rst"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: timestamptz("expires_at").notNull(),
    usedAt: timestamptz("used_at"),
  },
  (t) => [index("password_resets_user_id_idx").on(t.userId)],
);

/**
 * Failed sign-ins, counted per key (`email:<address>` and `ip:<address>`) over a sliding window. Keyed
 * by the email typed, whether or not an account has it, so throttling reveals nothing.
 */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: idColumn("lf"),
    key: text("key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("login_failures_key_created_at_idx").on(t.key, t.createdAt)],
);

export type Session = typeof sessions.$inferSelect;
export type PasswordReset = typeof passwordResets.$inferSelect;
