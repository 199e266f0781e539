import { pgTable, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { users } from "./users.ts";

/**
 * One row per notification mail handed to the mailer, keyed by what it is about (`batch_completed:bat_…`):
 * a retried mail job finds its row and sends nothing a second time.
 */
export const sentNotifications = pgTable("sent_notifications", {
  key: text("key").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  kind: text("kind").notNull(),
  sentAt: timestamptz("sent_at").notNull(),
});

export type SentNotification = typeof sentNotifications.$inferSelect;
