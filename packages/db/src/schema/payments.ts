import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, text, unique } from "drizzle-orm/pg-core";
import { createdAt, idColumn, oneOf, timestamptz } from "./columns.ts";
import { backgroundRemoverSubscriptions, SUBSCRIPTION_PLANS } from "./subscriptions.ts";
import { users } from "./users.ts";

/** `expired`: not paid before `expiresAt` (or the gateway's invoice lapsed); like `failed`, it is final. */
export const PAYMENT_STATUSES = ["pending", "paid", "failed", "expired"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** `subscribe` starts (or restarts) a subscription; `renewal` pays the next period of a running one; `credits` buys a credit pack. */
export const PAYMENT_PURPOSES = ["subscribe", "renewal", "credits"] as const;
export type PaymentPurpose = (typeof PAYMENT_PURPOSES)[number];

/**
 * Money asked of a user for a subscription or a credit pack, whatever gateway collects it. A row is written before the
 * gateway is called, so every attempt is on record even if the process dies half way; only the move to
 * `paid` (once, under a row lock) changes the subscription or lands the credits.
 */
export const payments = pgTable(
  "payments",
  {
    id: idColumn("pay"),
    // No cascade: deleting a user with payment history must be a deliberate decision.
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** Subscription payments only (null for a credit pack). */
    subscriptionId: text("subscription_id"),
    plan: text("plan", { enum: SUBSCRIPTION_PLANS }),
    /** Credit-pack payments only: the pack's id and the credits it lands, copied so a later price change cannot alter a bought pack. */
    creditPack: text("credit_pack"),
    credits: integer("credits"),
    purpose: text("purpose", { enum: PAYMENT_PURPOSES }).notNull(),
    /** Whole units of `currency` (rupiah). */
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** Name of the PaymentProvider that collects it ("manual", "midtrans", …). */
    provider: text("provider").notNull(),
    /** The gateway's id for it (order id, invoice id); null until the gateway has answered. */
    providerReference: text("provider_reference"),
    /** Where the user pays, when the gateway has a hosted page. */
    checkoutUrl: text("checkout_url"),
    status: text("status", { enum: PAYMENT_STATUSES }).notNull().default("pending"),
    failureReason: text("failure_reason"),
    /** One renewal attempt per subscription period even with two schedulers running: the key names the period. */
    idempotencyKey: text("idempotency_key").unique(),
    createdAt: createdAt(),
    paidAt: timestamptz("paid_at"),
    failedAt: timestamptz("failed_at"),
    /** A pending payment not paid by then is expired; null: it waits until the provider reports. */
    expiresAt: timestamptz("expires_at"),
  },
  (t) => [
    // Named by hand: the generated name is at PostgreSQL's 63-character identifier limit.
    foreignKey({ name: "payments_subscription_id_fk", columns: [t.subscriptionId], foreignColumns: [backgroundRemoverSubscriptions.id] }),
    index("payments_user_id_created_at_idx").on(t.userId, t.createdAt.desc()),
    index("payments_subscription_id_status_idx").on(t.subscriptionId, t.status),
    unique("payments_provider_reference_key").on(t.provider, t.providerReference),
    check("payments_status_check", oneOf(t.status, PAYMENT_STATUSES)),
    check("payments_purpose_check", oneOf(t.purpose, PAYMENT_PURPOSES)),
    check("payments_plan_check", oneOf(t.plan, SUBSCRIPTION_PLANS)),
    check("payments_amount_check", sql`${t.amount} > 0`),
    // A payment buys exactly one thing: a plan period (with its subscription) or a pack (with its credits).
    check(
      "payments_purchase_check",
      sql`(${t.purpose} = 'credits' and ${t.creditPack} is not null and ${t.credits} > 0 and ${t.subscriptionId} is null and ${t.plan} is null) or (${t.purpose} <> 'credits' and ${t.subscriptionId} is not null and ${t.plan} is not null and ${t.creditPack} is null and ${t.credits} is null)`,
    ),
  ],
);

export type Payment = typeof payments.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;
