import { apiKeys, creditLedger, newId, users, type Database, type UserRole } from "@bgr/db";
import { DomainError, parseTier } from "@bgr/domain";
import { and, desc, eq, isNull } from "drizzle-orm";
import { generateApiKey, hashApiKey } from "../auth/api-keys.ts";
import { creditLedgerService } from "../credits/credit-ledger.ts";

export interface Account {
  userId: string;
  email: string | null;
  role: UserRole;
  creditBalance: number;
}

/** Accounts, their credits and API keys: what the admin CLI and the auth layer need. */
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

  /** Creates an API key; the plaintext is returned once and never stored. */
  async createApiKey(userId: string, name: string, scopes: string[] = ["removal"], options: { defaultTier?: string } = {}): Promise<{ id: string; key: string; prefix: string }> {
    const defaultTier = options.defaultTier === undefined ? null : parseTier(options.defaultTier);
    await this.ensure(userId);
    const { key, prefix, hash } = generateApiKey();
    const [row] = await this.db.insert(apiKeys).values({ userId, name, keyHash: hash, keyPrefix: prefix, scopes, defaultTier }).returning({ id: apiKeys.id });
    return { id: row!.id, key, prefix };
  }

  /** The owner of a live API key, recording its use; null for unknown or revoked keys. */
  async userForApiKey(key: string, now: Date): Promise<{ userId: string; role: UserRole; defaultTier: string | null } | null> {
    const [row] = await this.db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)))
      .returning({ userId: apiKeys.userId, defaultTier: apiKeys.defaultTier });
    if (!row) return null;
    const [user] = await this.db.select({ role: users.role }).from(users).where(eq(users.id, row.userId));
    return user ? { userId: row.userId, role: user.role, defaultTier: row.defaultTier } : null;
  }
}
