/**
 * All SQL of the users table (accounts, balances, mail choices) and the per-user advisory lock.
 * Each function takes an executor (the database or an open transaction); no business rule lives here.
 */
import { users, type Executor, type Transaction, type User, type UserRole } from "@bgr/db";
import { and, desc, eq, isNull, sql } from "drizzle-orm";

export const userRepository = {
  /**
   * Serialises one user's paid operations (rate-limit count, quota, debit) for the rest of the
   * transaction, across every process sharing the database. Other users are not blocked.
   */
  async lock(tx: Transaction, userId: string): Promise<void> {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`user:${userId}`}, 0))`);
  },

  /** Creates the account unless it exists (then nothing changes). */
  async ensure(executor: Executor, user: { id: string; role: UserRole; email: string | null }): Promise<void> {
    await executor.insert(users).values(user).onConflictDoNothing({ target: users.id });
  },

  async find(executor: Executor, userId: string): Promise<User | null> {
    const [row] = await executor.select().from(users).where(eq(users.id, userId));
    return row ?? null;
  },

  async findByEmail(executor: Executor, email: string): Promise<User | null> {
    const [row] = await executor.select().from(users).where(eq(users.email, email));
    return row ?? null;
  },

  /** A new account with this email; null when the email is taken. */
  async insertWithEmail(executor: Executor, user: { id: string; email: string; passwordHash?: string }): Promise<string | null> {
    const [row] = await executor.insert(users).values(user).onConflictDoNothing({ target: users.email }).returning({ id: users.id });
    return row?.id ?? null;
  },

  /** Newest accounts first. */
  async recent(executor: Executor, limit: number): Promise<User[]> {
    return executor.select().from(users).orderBy(desc(users.createdAt)).limit(limit);
  },

  async setPasswordHash(executor: Executor, userId: string, passwordHash: string): Promise<void> {
    await executor.update(users).set({ passwordHash }).where(eq(users.id, userId));
  },

  /** Sets the first password of an invited account; an account that has one already keeps it. */
  async setFirstPasswordHash(executor: Executor, userId: string, passwordHash: string): Promise<void> {
    await executor
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, userId), isNull(users.passwordHash)));
  },

  /** Replaces the notification kinds the user opted out of; null for an unknown user. */
  async setMailOptOuts(executor: Executor, userId: string, optOuts: string[]): Promise<string[] | null> {
    const [row] = await executor
      .update(users)
      .set({ mailOptOuts: optOuts })
      .where(eq(users.id, userId))
      .returning({ optOuts: users.mailOptOuts });
    return row?.optOuts ?? null;
  },
};

/** The users SQL as a type: services take it as an argument, and unit tests pass an in-memory one. */
export type UserRepository = typeof userRepository;
