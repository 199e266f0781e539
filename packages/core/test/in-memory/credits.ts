import type { CreditRepository, LedgerEntryDraft } from "../../src/credits/credit.repository.ts";
import { copy, repository, type Snapshotting } from "./database.ts";

/** Balances and ledger rows in memory, with the same guarantees the SQL gives: no overdraft, one row per idempotency key. */
export class InMemoryCredits implements Snapshotting {
  balances = new Map<string, number>();
  entries: (LedgerEntryDraft & { id: string; balanceAfter: number })[] = [];

  constructor(balances: Record<string, number> = {}) {
    for (const [userId, balance] of Object.entries(balances)) this.balances.set(userId, balance);
  }

  snapshot() {
    return copy({ balances: this.balances, entries: this.entries });
  }

  restore(state: unknown) {
    ({ balances: this.balances, entries: this.entries } = copy(state as ReturnType<InMemoryCredits["snapshot"]>));
  }

  /** The ledger's sum for a user: what the balance must equal when it started at zero. */
  ledgerSum(userId: string): number {
    return this.entries.filter((entry) => entry.userId === userId).reduce((sum, entry) => sum + entry.delta, 0);
  }

  readonly repository: CreditRepository = repository<CreditRepository>("creditRepository", {
    balanceOf: async (_executor, userId) => this.balances.get(userId) ?? 0,
    takeIfCovered: async (_tx, userId, amount) => {
      const balance = this.balances.get(userId);
      if (balance === undefined || balance < amount) return null;
      this.balances.set(userId, balance - amount);
      return { balanceAfter: balance - amount };
    },
    add: async (_tx, userId, amount) => {
      const balance = this.balances.get(userId);
      if (balance === undefined) return null;
      this.balances.set(userId, balance + amount);
      return { balanceAfter: balance + amount };
    },
    appendEntry: async (_tx, entry) => {
      if (this.entries.some((row) => row.idempotencyKey === entry.idempotencyKey)) throw new Error(`duplicate key ${entry.idempotencyKey}`);
      this.entries.push({ ...entry, id: `ledger_${this.entries.length + 1}` });
    },
    claimEntry: async (_tx, entry) => {
      if (this.entries.some((row) => row.idempotencyKey === entry.idempotencyKey)) return null;
      const id = `ledger_${this.entries.length + 1}`;
      this.entries.push({ ...entry, id, balanceAfter: 0 });
      return id;
    },
    setBalanceAfter: async (_tx, entryId, balanceAfter) => {
      const entry = this.entries.find((row) => row.id === entryId);
      if (entry) entry.balanceAfter = balanceAfter;
    },
  });
}
