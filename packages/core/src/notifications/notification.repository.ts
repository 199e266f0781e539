/**
 * All SQL of notification mail: what a mail tells of, with its recipient, and the sent-mail record.
 * Each function takes an executor; no business rule lives here.
 */
import {
  backgroundRemovalBatches as batches,
  backgroundRemoverSubscriptions as subscriptions,
  payments,
  sentNotifications,
  users,
  type Executor,
  type Payment,
  type RemovalBatch,
  type Subscription,
} from "@bgr/db";
import { eq } from "drizzle-orm";

/** Who a mail goes to, and what they opted out of. */
export interface Recipient {
  email: string | null;
  optOuts: string[];
}

const recipient = { email: users.email, optOuts: users.mailOptOuts };

export const notificationRepository = {
  async batchWithRecipient(executor: Executor, batchId: string): Promise<({ batch: RemovalBatch } & Recipient) | null> {
    const [row] = await executor
      .select({ batch: batches, ...recipient })
      .from(batches)
      .innerJoin(users, eq(users.id, batches.userId))
      .where(eq(batches.id, batchId));
    return row ?? null;
  },

  async paymentWithRecipient(executor: Executor, paymentId: string): Promise<({ payment: Payment } & Recipient) | null> {
    const [row] = await executor
      .select({ payment: payments, ...recipient })
      .from(payments)
      .innerJoin(users, eq(users.id, payments.userId))
      .where(eq(payments.id, paymentId));
    return row ?? null;
  },

  async subscriptionWithRecipient(
    executor: Executor,
    subscriptionId: string,
  ): Promise<({ subscription: Subscription } & Recipient) | null> {
    const [row] = await executor
      .select({ subscription: subscriptions, ...recipient })
      .from(subscriptions)
      .innerJoin(users, eq(users.id, subscriptions.userId))
      .where(eq(subscriptions.id, subscriptionId));
    return row ?? null;
  },

  /** Records the mail named `key` as sent; false when it was recorded already. */
  async claimSent(executor: Executor, mail: { key: string; userId: string; kind: string; sentAt: Date }): Promise<boolean> {
    const [row] = await executor.insert(sentNotifications).values(mail).onConflictDoNothing().returning();
    return row !== undefined;
  },
};
