/**
 * All SQL of API keys. Each function takes an executor (the database or an open transaction); no
 * business rule lives here.
 */
import { apiKeys, type ApiKey, type Executor, type NewApiKey } from "@bgr/db";
import { and, desc, eq, isNull } from "drizzle-orm";

export const apiKeyRepository = {
  async insert(executor: Executor, key: NewApiKey): Promise<ApiKey> {
    const [row] = await executor.insert(apiKeys).values(key).returning();
    return row!;
  },

  /** Every key of the user, newest first. */
  async ofUser(executor: Executor, userId: string): Promise<ApiKey[]> {
    return executor.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  },

  /** Revokes the user's key unless it is revoked already, and returns it (null: no such key of theirs). */
  async revoke(executor: Executor, userId: string, keyId: string, at: Date): Promise<ApiKey | null> {
    const mine = and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId));
    await executor
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(mine, isNull(apiKeys.revokedAt)));
    const [row] = await executor.select().from(apiKeys).where(mine);
    return row ?? null;
  },

  /** Records the use of the live key with this hash and returns it; null for unknown or revoked keys. */
  async touchLive(executor: Executor, keyHash: string, at: Date): Promise<ApiKey | null> {
    const [row] = await executor
      .update(apiKeys)
      .set({ lastUsedAt: at })
      .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
      .returning();
    return row ?? null;
  },
};
