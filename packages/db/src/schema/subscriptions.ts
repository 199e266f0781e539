import { sql } from "drizzle-orm";
import { boolean, check, date, foreignKey, index, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { allOf, createdAt, idColumn, oneOf, timestamptz, updatedAt } from "./columns.ts";
import { TIER_NAMES, type TierName } from "@bgr/domain/tiers";
import { users } from "./users.ts";

export const SUBSCRIPTION_PLANS = ["starter", "pro"] as const;
export type SubscriptionPlan = (typeof SUBSCRIPTION_PLANS)[number];

/** `pending`: created, awaiting its first payment (no access until it is paid). */
export const SUBSCRIPTION_STATUSES = ["pending", "active", "cancelled", "expired", "grace_period"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** `all` is the whole-day row; a tier name is a per-tier row. */
export const USAGE_TIERS = ["all", ...TIER_NAMES] as const;
export type UsageTier = (typeof USAGE_TIERS)[number];

/** At most one subscription per user (unique userId); renewals update the row. */
export const backgroundRemoverSubscriptions = pgTable(
  "background_remover_subscriptions",
  {
    id: idColumn("sub"),
    userId: text("user_id")
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: "cascade" }),

    plan: text("plan", { enum: SUBSCRIPTION_PLANS }).notNull(),
    status: text("status", { enum: SUBSCRIPTION_STATUSES }).notNull().default("active"),

    monthlyPrice: integer("monthly_price").notNull(),
    currency: text("currency").notNull().default("IDR"),

    dailyQuota: integer("daily_quota").notNull(),
    professionalDailyQuota: integer("professional_daily_quota"),
    allowedTiers: text("allowed_tiers").array().notNull().$type<TierName[]>(),

    subscribedAt: timestamptz("subscribed_at").notNull(),
    currentPeriodEnd: timestamptz("current_period_end").notNull(),
    nextBillingDate: timestamptz("next_billing_date"),
    lastPaymentId: text("last_payment_id"),

    autoRenew: boolean("auto_renew").notNull().default(true),
    cancelledAt: timestamptz("cancelled_at"),
    cancelReason: text("cancel_reason"),
    expiresAt: timestamptz("expires_at").notNull(),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("background_remover_subscriptions_status_expires_at_idx").on(t.status, t.expiresAt),
    index("background_remover_subscriptions_next_billing_date_idx").on(t.nextBillingDate),
    check("background_remover_subscriptions_plan_check", oneOf(t.plan, SUBSCRIPTION_PLANS)),
    check("background_remover_subscriptions_status_check", oneOf(t.status, SUBSCRIPTION_STATUSES)),
    check("background_remover_subscriptions_allowed_tiers_check", allOf(t.allowedTiers, TIER_NAMES)),
  ],
);

/**
 * Daily quota counters. `date` is the calendar day (SQL `date`, 'YYYY-MM-DD' in TS) and `tier`
 * is NOT NULL (default 'all') because NULLs never collide in a PostgreSQL unique key — with a
 * nullable tier the (subscription, date, tier) key would let duplicate rows through.
 */
export const backgroundRemoverSubscriptionUsage = pgTable(
  "background_remover_subscription_usage",
  {
    id: idColumn("usage"),
    subscriptionId: text("subscription_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),

    date: date("date", { mode: "string" }).notNull(),

    removalsCount: integer("removals_count").notNull().default(0),
    basicCount: integer("basic_count").notNull().default(0),
    standardCount: integer("standard_count").notNull().default(0),
    professionalCount: integer("professional_count").notNull().default(0),

    tier: text("tier", { enum: USAGE_TIERS }).notNull().default("all"),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Names by hand: the generated ones exceed PostgreSQL's 63-character identifier limit.
    foreignKey({
      name: "background_remover_subscription_usage_subscription_id_fk",
      columns: [t.subscriptionId],
      foreignColumns: [backgroundRemoverSubscriptions.id],
    }).onDelete("cascade"),
    unique("background_remover_subscription_usage_sub_date_tier_key").on(t.subscriptionId, t.date, t.tier),
    check("background_remover_subscription_usage_tier_check", oneOf(t.tier, USAGE_TIERS)),
    check(
      "background_remover_subscription_usage_counts_check",
      sql`${t.removalsCount} >= 0 and ${t.basicCount} >= 0 and ${t.standardCount} >= 0 and ${t.professionalCount} >= 0`,
    ),
  ],
);

export type Subscription = typeof backgroundRemoverSubscriptions.$inferSelect;
export type NewSubscription = typeof backgroundRemoverSubscriptions.$inferInsert;
export type SubscriptionUsage = typeof backgroundRemoverSubscriptionUsage.$inferSelect;
export type NewSubscriptionUsage = typeof backgroundRemoverSubscriptionUsage.$inferInsert;
