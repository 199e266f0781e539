/**
 * All SQL of the payments table. Each function takes an executor (the database or an open
 * transaction); no business rule lives here.
 */
import { payments, users, type Executor, type NewPayment, type Payment, type PaymentPurpose, type Transaction } from "@bgr/db";
import { and, desc, eq, lte } from "drizzle-orm";

export type PaymentChanges = Partial<Omit<NewPayment, "id" | "userId" | "createdAt">>;

export const paymentRepository = {
  async find(executor: Executor, paymentId: string): Promise<Payment | null> {
    const [row] = await executor.select().from(payments).where(eq(payments.id, paymentId));
    return row ?? null;
  },

  /** The payment row, locked until the transaction ends. */
  async lock(tx: Transaction, paymentId: string): Promise<Payment | null> {
    const [row] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for("update");
    return row ?? null;
  },

  async findOwned(executor: Executor, userId: string, paymentId: string): Promise<Payment | null> {
    const [row] = await executor
      .select()
      .from(payments)
      .where(and(eq(payments.id, paymentId), eq(payments.userId, userId)));
    return row ?? null;
  },

  /** The user's payment with the payer's email (for a receipt). */
  async findOwnedWithEmail(
    executor: Executor,
    userId: string,
    paymentId: string,
  ): Promise<{ payment: Payment; email: string | null } | null> {
    const [row] = await executor
      .select({ payment: payments, email: users.email })
      .from(payments)
      .innerJoin(users, eq(users.id, payments.userId))
      .where(and(eq(payments.id, paymentId), eq(payments.userId, userId)));
    return row ?? null;
  },

  async findByProviderReference(executor: Executor, provider: string, reference: string): Promise<Payment | null> {
    const [row] = await executor
      .select()
      .from(payments)
      .where(and(eq(payments.provider, provider), eq(payments.providerReference, reference)));
    return row ?? null;
  },

  /** The user's payments, or everyone's, newest first. */
  async recent(executor: Executor, limit: number, userId?: string): Promise<Payment[]> {
    return executor
      .select()
      .from(payments)
      .where(userId === undefined ? undefined : eq(payments.userId, userId))
      .orderBy(desc(payments.createdAt))
      .limit(limit);
  },

  async insert(executor: Executor, payment: NewPayment): Promise<Payment> {
    const [row] = await executor.insert(payments).values(payment).returning();
    return row!;
  },

  /** Inserts unless its idempotency key is taken (then null). */
  async insertOnce(executor: Executor, payment: NewPayment & { idempotencyKey: string }): Promise<Payment | null> {
    const [row] = await executor.insert(payments).values(payment).onConflictDoNothing({ target: payments.idempotencyKey }).returning();
    return row ?? null;
  },

  async update(executor: Executor, paymentId: string, changes: PaymentChanges): Promise<Payment> {
    const [row] = await executor.update(payments).set(changes).where(eq(payments.id, paymentId)).returning();
    return row!;
  },

  /** The subscription's pending payments (of one purpose, when given), newest first. */
  async pendingOf(executor: Executor, subscriptionId: string, purpose?: PaymentPurpose): Promise<Payment[]> {
    return executor
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.subscriptionId, subscriptionId),
          eq(payments.status, "pending"),
          purpose === undefined ? undefined : eq(payments.purpose, purpose),
        ),
      )
      .orderBy(desc(payments.createdAt));
  },

  /** Fails every pending payment of the subscription, with the reason. */
  async failPendingOf(executor: Executor, subscriptionId: string, at: Date, reason: string): Promise<void> {
    await executor
      .update(payments)
      .set({ status: "failed", failedAt: at, failureReason: reason })
      .where(and(eq(payments.subscriptionId, subscriptionId), eq(payments.status, "pending")));
  },

  /** Ids of pending payments whose deadline has passed (one user's, or anyone's up to `limit`). */
  async overdueIds(executor: Executor, now: Date, scope: { userId: string } | { limit: number }): Promise<string[]> {
    const overdue = executor
      .select({ id: payments.id })
      .from(payments)
      .where(
        and(
          eq(payments.status, "pending"),
          lte(payments.expiresAt, now),
          "userId" in scope ? eq(payments.userId, scope.userId) : undefined,
        ),
      );
    const rows = "limit" in scope ? await overdue.limit(scope.limit) : await overdue;
    return rows.map((row) => row.id);
  },
};

/** The payments SQL as a type: services take it as an argument, and unit tests pass an in-memory one. */
export type PaymentRepository = typeof paymentRepository;
