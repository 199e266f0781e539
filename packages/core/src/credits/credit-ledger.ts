import { creditLedger, users, type Executor, type LedgerReason, type Transaction } from "@bgr/db";
import { insufficientCredits } from "@bgr/domain";
import { and, eq, gte, sql } from "drizzle-orm";

export interface CreditMovement {
  userId: string;
  /** Always positive; the direction is the method's. */
  amount: number;
  reason: LedgerReason;
  referenceType: string;
  referenceId: string;
  /** Same key twice = the movement happens once (retried refunds, redelivered queue jobs). */
  idempotencyKey: string;
  /** Why, for movements a person made (an admin's grant). */
  note?: string | null;
}

/**
 * The one place where credits move. Every method runs inside the caller's transaction, changes
 * `users.credit_balance` and appends a ledger row with the balance after, so the two commit or
 * roll back together and the ledger always sums to the balance.
 */
export const creditLedgerService = {
  /**
   * Refuses early, before any expensive work (reading an upload, downloading images), what the debit
   * would refuse later; the debit stays the authority (the balance may change in between).
   */
  async assertCanPay(executor: Executor, userId: string, amount: number): Promise<void> {
    const available = await balanceOf(executor, userId);
    if (available < amount) throw insufficientCredits(amount, available);
  },

  /** Takes credits or throws INSUFFICIENT_CREDITS; the conditional UPDATE makes overdraft impossible under concurrency. */
  async debit(tx: Transaction, movement: CreditMovement): Promise<{ balanceAfter: number }> {
    assertPositive(movement.amount);
    const [row] = await tx
      .update(users)
      .set({ creditBalance: sql`${users.creditBalance} - ${movement.amount}` })
      .where(and(eq(users.id, movement.userId), gte(users.creditBalance, movement.amount)))
      .returning({ balanceAfter: users.creditBalance });
    if (!row) throw insufficientCredits(movement.amount, await balanceOf(tx, movement.userId));
    await tx.insert(creditLedger).values({ ...ledgerFields(movement), delta: -movement.amount, balanceAfter: row.balanceAfter });
    return row;
  },

  /**
   * Gives credits back (refunds) or in (grants, purchases). Returns false when this idempotency key
   * was already applied: the ledger insert comes first, so a concurrent duplicate waits on the unique
   * index and then does nothing.
   */
  async credit(tx: Transaction, movement: CreditMovement): Promise<boolean> {
    assertPositive(movement.amount);
    const [entry] = await tx
      .insert(creditLedger)
      .values({ ...ledgerFields(movement), delta: movement.amount, balanceAfter: 0 })
      .onConflictDoNothing({ target: creditLedger.idempotencyKey })
      .returning({ id: creditLedger.id });
    if (!entry) return false;
    const [row] = await tx
      .update(users)
      .set({ creditBalance: sql`${users.creditBalance} + ${movement.amount}` })
      .where(eq(users.id, movement.userId))
      .returning({ balanceAfter: users.creditBalance });
    if (!row) throw new Error(`Cannot credit unknown user ${movement.userId}.`);
    await tx.update(creditLedger).set({ balanceAfter: row.balanceAfter }).where(eq(creditLedger.id, entry.id));
    return true;
  },
};

async function balanceOf(tx: Executor, userId: string): Promise<number> {
  const [row] = await tx.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  return row?.balance ?? 0;
}

function ledgerFields(movement: CreditMovement) {
  return {
    userId: movement.userId,
    reason: movement.reason,
    referenceType: movement.referenceType,
    referenceId: movement.referenceId,
    idempotencyKey: movement.idempotencyKey,
    note: movement.note ?? null,
  };
}

function assertPositive(amount: number) {
  if (!Number.isInteger(amount) || amount <= 0) throw new RangeError(`Credit amounts are positive whole numbers, got ${amount}.`);
}
