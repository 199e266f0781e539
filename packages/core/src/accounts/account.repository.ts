/**
 * All SQL of standalone sign-in: sessions, password resets and failed sign-ins (accounts themselves:
 * users/user.repository.ts). Tokens arrive hashed. Each function takes an executor; no business rule lives here.
 */
import { loginFailures, passwordResets, sessions, users, type Executor, type UserRole } from "@bgr/db";
import { and, count, eq, gt, inArray, isNull } from "drizzle-orm";

export const accountRepository = {
  async insertSession(executor: Executor, session: { userId: string; tokenHash: string; createdAt: Date; expiresAt: Date }): Promise<void> {
    await executor.insert(sessions).values(session);
  },

  /** The owner of a live (unrevoked, unexpired at `now`) session. */
  async liveSessionOwner(executor: Executor, tokenHash: string, now: Date): Promise<{ userId: string; role: UserRole } | null> {
    const [row] = await executor
      .select({ userId: sessions.userId, role: users.role })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
    return row ?? null;
  },

  async revokeSession(executor: Executor, tokenHash: string, at: Date): Promise<void> {
    await executor
      .update(sessions)
      .set({ revokedAt: at })
      .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
  },

  /** Revokes every live session of the user; returns how many. */
  async revokeSessionsOf(executor: Executor, userId: string, at: Date): Promise<number> {
    const ended = await executor
      .update(sessions)
      .set({ revokedAt: at })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .returning({ id: sessions.id });
    return ended.length;
  },

  async recordLoginFailures(executor: Executor, keys: string[], at: Date): Promise<void> {
    await executor.insert(loginFailures).values(keys.map((key) => ({ key, createdAt: at })));
  },

  /** Failed sign-ins per key since `since` (keys without any are absent). */
  async loginFailuresSince(executor: Executor, keys: string[], since: Date): Promise<Map<string, number>> {
    const rows = await executor
      .select({ key: loginFailures.key, n: count() })
      .from(loginFailures)
      .where(and(inArray(loginFailures.key, keys), gt(loginFailures.createdAt, since)))
      .groupBy(loginFailures.key);
    return new Map(rows.map((row) => [row.key, row.n]));
  },

  async insertPasswordReset(
    executor: Executor,
    reset: { userId: string; tokenHash: string; createdAt: Date; expiresAt: Date },
  ): Promise<void> {
    await executor.insert(passwordResets).values(reset);
  },

  /** Marks the live reset token used, once; returns whose it was, or null (unknown, used or expired). */
  async usePasswordReset(executor: Executor, tokenHash: string, now: Date): Promise<string | null> {
    const [used] = await executor
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)))
      .returning({ userId: passwordResets.userId });
    return used?.userId ?? null;
  },
};
