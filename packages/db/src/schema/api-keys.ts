import { sql } from "drizzle-orm";
import { index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, idColumn, timestamptz } from "./columns.ts";
import { users } from "./users.ts";

/** Only the SHA-256 of a key is stored; the plaintext is shown once, at creation. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: idColumn("key"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    keyPrefix: text("key_prefix").notNull(),
    scopes: text("scopes")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The tier calls with this key run at when they name none (remove.bg's API has no tier field); null: the API's default. */
    defaultTier: text("default_tier"),
    lastUsedAt: timestamptz("last_used_at"),
    createdAt: createdAt(),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [index("api_keys_user_id_idx").on(t.userId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
