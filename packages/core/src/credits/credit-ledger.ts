import type { Executor, LedgerReason, Transaction } from "@bgr/db";
import { insufficientCredits } from "@bgr/domain";
import { creditRepository, type CreditRepository } from "./credit.repository.ts";

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
 * roll back together and the ledger always sums to the balance. Built over a CreditRepository
 * (the drizzle one in `creditLedgerService`; unit tests pass one in memory).
 */
export function createCreditLedger(repository: CreditRepository) {
  return {
    /**
     * Refuses early, before any expensive work (reading an upload, downloading images), what the debit
     * would refuse later; the debit stays the authority (the balance may change in between).
     */
    async assertCanPay(executor: Executor, userId: string, amount: number): Promise<void> {
      const available = await repository.balanceOf(executor, userId);
      if (available < amount) throw insufficientCredits(amount, available);
    },

    /** Takes credits or throws INSUFFICIENT_CREDITS; the conditional UPDATE makes overdraft impossible under concurrency. */
    async debit(tx: Transaction, movement: CreditMovement): Promise<{ balanceAfter: number }> {
      assertPositive(movement.amount);
      const row = await repository.takeIfCovered(tx, movement.userId, movement.amount);
      if (!row) throw insufficientCredits(movement.amount, await repository.balanceOf(tx, movement.userId));
      await repository.appendEntry(tx, { ...ledgerFields(movement), delta: -movement.amount, balanceAfter: row.balanceAfter });
      return row;
    },

    /**
     * Gives credits back (refunds) or in (grants, purchases). Returns false when this idempotency key
     * was already applied: the ledger insert comes first, so a concurrent duplicate waits on the unique
     * index and then does nothing.
     */
    async credit(tx: Transaction, movement: CreditMovement): Promise<boolean> {
      assertPositive(movement.amount);
      const entryId = await repository.claimEntry(tx, { ...ledgerFields(movement), delta: movement.amount });
      if (!entryId) return false;
      const row = await repository.add(tx, movement.userId, movement.amount);
      if (!row) throw new Error(`Cannot credit unknown user ${movement.userId}.`);
      await repository.setBalanceAfter(tx, entryId, row.balanceAfter);
      return true;
    },
  };
}

export type CreditLedger = ReturnType<typeof createCreditLedger>;

export const creditLedgerService: CreditLedger = createCreditLedger(creditRepository);

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
