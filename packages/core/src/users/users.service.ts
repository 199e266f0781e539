import { creditLedger, newId, users, type Database, type UserRole } from "@bgr/db";
import { DomainError } from "@bgr/domain";
import { desc, eq } from "drizzle-orm";
import { creditLedgerService } from "../credits/credit-ledger.ts";

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
    await this.db.insert(users).values({ id: userId, role, email }).onConflictDoNothing({ target: users.id });
  }

  async account(userId: string): Promise<Account> {
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
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
      const [row] = await tx.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
      return row!.balance;
    });
  }

  async ledger(userId: string, limit = 50) {
    return this.db.select().from(creditLedger).where(eq(creditLedger.userId, userId)).orderBy(desc(creditLedger.createdAt)).limit(limit);
  }
}
