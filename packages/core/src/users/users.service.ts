import { newId, type Database, type LedgerEntry, type UserRole } from "@bgr/db";
import { DomainError } from "@bgr/domain";
import { creditLedgerService } from "../credits/credit-ledger.ts";
import { creditRepository } from "../credits/credit.repository.ts";
import { userRepository } from "./user.repository.ts";

export interface Account {
  userId: string;
  email: string | null;
  role: UserRole;
  creditBalance: number;
}

/** Accounts and their credits: what the admin CLI and the auth layer need (API keys: ApiKeyService). */
export class UsersService {
  constructor(private readonly db: Database) {}

  /** The platform owns identities: a valid token for an unknown id creates the account, with no credits. */
  async ensure(userId: string, role: UserRole = "user", email: string | null = null): Promise<void> {
    await userRepository.ensure(this.db, { id: userId, role, email });
  }

  async account(userId: string): Promise<Account> {
    const row = await userRepository.find(this.db, userId);
    if (!row) throw new DomainError("NOT_FOUND", `No account ${userId}.`);
    return { userId: row.id, email: row.email, role: row.role, creditBalance: row.creditBalance };
  }

  /** Adds credits (an admin's grant, with its reason); `idempotencyKey` makes a retried grant a no-op. */
  async grant(userId: string, amount: number, idempotencyKey: string = newId("led"), note: string | null = null): Promise<number> {
    await this.ensure(userId);
    return this.db.transaction(async (tx) => {
      await creditLedgerService.credit(tx, {
        userId,
        amount,
        reason: "grant",
        referenceType: "admin_grant",
        referenceId: idempotencyKey,
        idempotencyKey: `grant:${idempotencyKey}`,
        note,
      });
      return creditRepository.balanceOf(tx, userId);
    });
  }

  async ledger(userId: string, limit = 50): Promise<LedgerEntry[]> {
    return creditRepository.entriesOf(this.db, userId, limit);
  }
}
