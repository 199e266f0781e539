import { relations } from "drizzle-orm";
import { apiKeys } from "./api-keys.ts";
import { creditLedger } from "./credits.ts";
import { backgroundRemovalBatches, backgroundRemovalJobs } from "./removals.ts";
import { backgroundRemoverSubscriptionUsage, backgroundRemoverSubscriptions } from "./subscriptions.ts";
import { users } from "./users.ts";

// Only for `db.query.*.findMany({ with })`; foreign keys live on the tables themselves.

export const usersRelations = relations(users, ({ many, one }) => ({
  ledgerEntries: many(creditLedger),
  apiKeys: many(apiKeys),
  jobs: many(backgroundRemovalJobs),
  batches: many(backgroundRemovalBatches),
  subscription: one(backgroundRemoverSubscriptions),
}));

export const creditLedgerRelations = relations(creditLedger, ({ one }) => ({
  user: one(users, { fields: [creditLedger.userId], references: [users.id] }),
}));

export const apiKeysRelations = relations(apiKeys, ({ one }) => ({
  user: one(users, { fields: [apiKeys.userId], references: [users.id] }),
}));

export const backgroundRemovalBatchesRelations = relations(backgroundRemovalBatches, ({ many, one }) => ({
  user: one(users, { fields: [backgroundRemovalBatches.userId], references: [users.id] }),
  items: many(backgroundRemovalJobs),
}));

export const backgroundRemovalJobsRelations = relations(backgroundRemovalJobs, ({ one }) => ({
  user: one(users, { fields: [backgroundRemovalJobs.userId], references: [users.id] }),
  batch: one(backgroundRemovalBatches, {
    fields: [backgroundRemovalJobs.batchId],
    references: [backgroundRemovalBatches.id],
  }),
}));

export const backgroundRemoverSubscriptionsRelations = relations(
  backgroundRemoverSubscriptions,
  ({ many, one }) => ({
    user: one(users, { fields: [backgroundRemoverSubscriptions.userId], references: [users.id] }),
    usage: many(backgroundRemoverSubscriptionUsage),
  }),
);

export const backgroundRemoverSubscriptionUsageRelations = relations(
  backgroundRemoverSubscriptionUsage,
  ({ one }) => ({
    subscription: one(backgroundRemoverSubscriptions, {
      fields: [backgroundRemoverSubscriptionUsage.subscriptionId],
      references: [backgroundRemoverSubscriptions.id],
    }),
  }),
);
