/**
 * All SQL of remembered Idempotency-Keys. Each function takes an executor; no business rule lives here.
 */
import { idempotencyKeys as keys, type Executor, type IdempotencyKey } from "@bgr/db";
import { and, eq, gte, lt } from "drizzle-orm";

/** One user's key: keys are per user, so one user's key never touches another's. */
export interface UserKey {
  userId: string;
  key: string;
}

const named = (id: UserKey) => and(eq(keys.userId, id.userId), eq(keys.key, id.key));

export const idempotencyRepository = {
  /** Forgets the key if it was made before `before`. */
  async deleteIfOlder(executor: Executor, id: UserKey, before: Date): Promise<void> {
    await executor.delete(keys).where(and(named(id), lt(keys.createdAt, before)));
  },

  /** Inserts the key's row unless the key is taken; true when this call inserted it. */
  async claim(executor: Executor, row: UserKey & { route: string; fingerprint: string; createdAt: Date }): Promise<boolean> {
    const [inserted] = await executor.insert(keys).values(row).onConflictDoNothing().returning({ key: keys.key });
    return inserted !== undefined;
  },

  async find(executor: Executor, id: UserKey): Promise<IdempotencyKey | null> {
    const [row] = await executor.select().from(keys).where(named(id));
    return row ?? null;
  },

  /** The key's row if it was made at or after `since`. */
  async findSince(executor: Executor, id: UserKey, since: Date): Promise<IdempotencyKey | null> {
    const [row] = await executor
      .select()
      .from(keys)
      .where(and(named(id), gte(keys.createdAt, since)));
    return row ?? null;
  },

  async recordAnswer(executor: Executor, id: UserKey, status: number, response: unknown, at: Date): Promise<void> {
    await executor
      .update(keys)
      .set({ responseStatus: status, response: response ?? null, completedAt: at })
      .where(named(id));
  },

  async delete(executor: Executor, id: UserKey): Promise<void> {
    await executor.delete(keys).where(named(id));
  },
};
