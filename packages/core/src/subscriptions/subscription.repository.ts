/**
 * All SQL of the subscriptions table. Each function takes an executor (the database or an open
 * transaction); no business rule lives here.
 */
import {
  backgroundRemoverSubscriptions as subscriptions,
  type Executor,
  type NewSubscription,
  type Subscription,
  type SubscriptionStatus,
  type Transaction,
} from "@bgr/db";
import { and, eq, gte, inArray, lt, lte } from "drizzle-orm";

export type SubscriptionChanges = Partial<Omit<NewSubscription, "id" | "userId" | "createdAt">>;

export const subscriptionRepository = {
  /** The user's subscription row, whatever its status (at most one per user). */
  async findByUser(executor: Executor, userId: string): Promise<Subscription | null> {
    const [row] = await executor.select().from(subscriptions).where(eq(subscriptions.userId, userId));
    return row ?? null;
  },

  /** The user's row, locked until the transaction ends. */
  async lockByUser(tx: Transaction, userId: string): Promise<Subscription | null> {
    const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.userId, userId)).for("update");
    return row ?? null;
  },

  async lock(tx: Transaction, subscriptionId: string): Promise<Subscription | null> {
    const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.id, subscriptionId)).for("update");
    return row ?? null;
  },

  async insert(executor: Executor, subscription: NewSubscription): Promise<Subscription> {
    const [row] = await executor.insert(subscriptions).values(subscription).returning();
    return row!;
  },

  async update(executor: Executor, subscriptionId: string, changes: SubscriptionChanges): Promise<Subscription> {
    const [row] = await executor.update(subscriptions).set(changes).where(eq(subscriptions.id, subscriptionId)).returning();
    return row!;
  },

  /** Rows in these statuses whose access ends by `now`, locked until the transaction ends. */
  async lockExpiringBy(tx: Transaction, statuses: readonly SubscriptionStatus[], now: Date): Promise<Subscription[]> {
    return tx
      .select()
      .from(subscriptions)
      .where(and(lte(subscriptions.expiresAt, now), inArray(subscriptions.status, statuses)))
      .for("update");
  },

  /** Rows in these statuses whose current period ends in [from, until). */
  async periodsEndingBetween(
    executor: Executor,
    statuses: readonly SubscriptionStatus[],
    from: Date,
    until: Date,
  ): Promise<Pick<Subscription, "id" | "currentPeriodEnd">[]> {
    return executor
      .select({ id: subscriptions.id, currentPeriodEnd: subscriptions.currentPeriodEnd })
      .from(subscriptions)
      .where(
        and(inArray(subscriptions.status, statuses), gte(subscriptions.currentPeriodEnd, from), lt(subscriptions.currentPeriodEnd, until)),
      );
  },

  /** Active auto-renewing rows whose billing date has come, the longest due first. */
  async dueForBilling(executor: Executor, now: Date, limit: number): Promise<Pick<Subscription, "id" | "userId">[]> {
    return executor
      .select({ id: subscriptions.id, userId: subscriptions.userId })
      .from(subscriptions)
      .where(and(eq(subscriptions.status, "active"), eq(subscriptions.autoRenew, true), lte(subscriptions.nextBillingDate, now)))
      .orderBy(subscriptions.nextBillingDate)
      .limit(limit);
  },
};

/** The subscription SQL as a type: services take it as an argument, and unit tests pass an in-memory one. */
export type SubscriptionRepository = typeof subscriptionRepository;
