import { backgroundRemovalJobs, type Transaction } from "@bgr/db";
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
export async function assertWithinRateLimit(tx: Transaction, userId: string, rate: RateLimit, now: Date): Promise<void> {
  const since = new Date(now.getTime() - rate.windowSeconds * 1000);
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int`, oldest: sql<Date | null>`min(${backgroundRemovalJobs.createdAt})` })
    .from(backgroundRemovalJobs)
    .where(and(eq(backgroundRemovalJobs.userId, userId), isNull(backgroundRemovalJobs.batchId), gt(backgroundRemovalJobs.createdAt, since)));
  if (!row || row.count < rate.limit) return;
  const oldest = row.oldest ? new Date(row.oldest) : now;
  const retryAfter = Math.max(1, Math.ceil((oldest.getTime() + rate.windowSeconds * 1000 - now.getTime()) / 1000));
  throw rateLimited(retryAfter, rate.limit);
}
