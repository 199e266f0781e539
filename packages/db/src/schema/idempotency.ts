import { integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, timestamptz } from "./columns.ts";
import { users } from "./users.ts";

/**
 * One row per (user, Idempotency-Key): the primary key is what makes a concurrent duplicate wait and
 * then find the first request's row, on any number of server processes. `response` is null while the
 * first request runs; a failed first request deletes its row, so a retry runs afresh.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** `POST /remove` etc.: a key names one request to one endpoint. */
    route: text("route").notNull(),
    /** SHA-256 of the request's meaningful content (fields, file bytes, JSON body), to refuse a reused key. */
    fingerprint: text("fingerprint").notNull(),
    responseStatus: integer("response_status"),
    response: jsonb("response"),
    createdAt: createdAt(),
    completedAt: timestamptz("completed_at"),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;
