/**
 * All SQL of balances and the credit ledger. Only credit-ledger.ts moves money; it composes these
 * statements inside the caller's transaction. No business rule lives here.
 */
import { creditLedger, users, type Executor, type LedgerEntry, type LedgerReason, type NewLedgerEntry, type Transaction } from "@bgr/db";
import { and, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";

/** A ledger row before its balance-after is known. */
export type LedgerEntryDraft = Omit<NewLedgerEntry, "id" | "balanceAfter" | "createdAt">;

export const creditRepository = {
  async balanceOf(executor: Executor, userId: string): Promise<number> {
    const [row] = await executor.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
    return row?.balance ?? 0;
  },

  /** Takes `amount` only if the balance covers it (the conditional UPDATE makes overdraft impossible); null otherwise. */
  async takeIfCovered(tx: Transaction, userId: string, amount: number): Promise<{ balanceAfter: number } | null> {
    const [row] = await tx
      .update(users)
      .set({ creditBalance: sql`${users.creditBalance} - ${amount}` })
      .where(and(eq(users.id, userId), gte(users.creditBalance, amount)))
      .returning({ balanceAfter: users.creditBalance });
    return row ?? null;
  },

  /** Adds `amount`; null for an unknown user. */
  async add(tx: Transaction, userId: string, amount: number): Promise<{ balanceAfter: number } | null> {
    const [row] = await tx
      .update(users)
      .set({ creditBalance: sql`${users.creditBalance} + ${amount}` })
      .where(eq(users.id, userId))
      .returning({ balanceAfter: users.creditBalance });
    return row ?? null;
  },

  async appendEntry(tx: Transaction, entry: LedgerEntryDraft & { balanceAfter: number }): Promise<void> {
    await tx.insert(creditLedger).values(entry);
  },

  /**
   * Inserts the entry unless its idempotency key is taken (then null): a concurrent duplicate waits on
   * the unique index and then finds it taken. Its balance-after is set by `setBalanceAfter`.
   */
  async claimEntry(tx: Transaction, entry: LedgerEntryDraft): Promise<string | null> {
    const [row] = await tx
      .insert(creditLedger)
      .values({ ...entry, balanceAfter: 0 })
      .onConflictDoNothing({ target: creditLedger.idempotencyKey })
      .returning({ id: creditLedger.id });
    return row?.id ?? null;
  },

  async setBalanceAfter(tx: Transaction, entryId: string, balanceAfter: number): Promise<void> {
    await tx.update(creditLedger).set({ balanceAfter }).where(eq(creditLedger.id, entryId));
  },

  /** The user's newest ledger rows first. */
  async entriesOf(executor: Executor, userId: string, limit: number): Promise<LedgerEntry[]> {
    return executor.select().from(creditLedger).where(eq(creditLedger.userId, userId)).orderBy(desc(creditLedger.createdAt)).limit(limit);
  },

  /** Minus the sum of the user's rows with these reasons (debits count up, refunds down). */
  async netSpent(executor: Executor, userId: string, reasons: readonly LedgerReason[]): Promise<number> {
    const [row] = await executor
      .select({ spent: sql<number>`coalesce(-sum(${creditLedger.delta}), 0)::int` })
      .from(creditLedger)
      .where(and(eq(creditLedger.userId, userId), inArray(creditLedger.reason, reasons)));
    return row?.spent ?? 0;
  },

  /** Everyone's credits taken with `chargeReasons`, and given back as refunds. */
  async totals(executor: Executor, chargeReasons: readonly LedgerReason[]): Promise<{ charged: number; refunded: number }> {
    const [row] = await executor
      .select({
        charged:
          sql<number>`coalesce(sum(-${creditLedger.delta}) filter (where ${and(inArray(creditLedger.reason, chargeReasons), lt(creditLedger.delta, 0))}), 0)::bigint`.mapWith(
            Number,
          ),
        refunded: sql<number>`coalesce(sum(${creditLedger.delta}) filter (where ${creditLedger.reason} = 'refund'), 0)::bigint`.mapWith(
          Number,
        ),
      })
      .from(creditLedger);
    return row ?? { charged: 0, refunded: 0 };
  },
};

/** What the credit ledger needs of storage; this drizzle module is the implementation, unit tests hold one in memory. */
export type CreditRepository = typeof creditRepository;
