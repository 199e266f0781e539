import { backgroundRemovalJobs, type Database, type Transaction } from "@bgr/db";
import { rateLimited } from "@bgr/domain";
import { and, eq, gt, isNull, sql } from "drizzle-orm";

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/**
 * Sliding-window limit on a user's single removals, counted from the jobs table itself so it holds
 * across server processes. Call under `lockUser` so concurrent requests count each other.
 */
export async function assertWithinRateLimit(tx: Database | Transaction, userId: string, rate: RateLimit, now: Date): Promise<void> {
  const window = await countInWindow(tx, userId, rate, now);
  if (window.count < rate.limit) return;
  const retryAfter = Math.max(1, Math.ceil((window.oldest.getTime() + rate.windowSeconds * 1000 - now.getTime()) / 1000));
  throw rateLimited(retryAfter, rate.limit);
}

/** Where a user stands against the limit, for rate-limit headers: `resetAt` is when the oldest counted removal leaves the window. */
export interface RateLimitStatus {
  limit: number;
  remaining: number;
  resetAt: Date;
}

export async function rateLimitStatus(db: Database | Transaction, userId: string, rate: RateLimit, now: Date): Promise<RateLimitStatus> {
  const window = await countInWindow(db, userId, rate, now);
  const resetAt = window.count === 0 ? now : new Date(window.oldest.getTime() + rate.windowSeconds * 1000);
  return { limit: rate.limit, remaining: Math.max(0, rate.limit - window.count), resetAt };
}

async function countInWindow(db: Database | Transaction, userId: string, rate: RateLimit, now: Date): Promise<{ count: number; oldest: Date }> {
  const since = new Date(now.getTime() - rate.windowSeconds * 1000);
  const [row] = await db
    .select({ count: sql<number>`count(*)::int`, oldest: sql<Date | null>`min(${backgroundRemovalJobs.createdAt})` })
    .from(backgroundRemovalJobs)
    .where(and(eq(backgroundRemovalJobs.userId, userId), isNull(backgroundRemovalJobs.batchId), gt(backgroundRemovalJobs.createdAt, since)));
  return { count: row?.count ?? 0, oldest: row?.oldest ? new Date(row.oldest) : now };
}
