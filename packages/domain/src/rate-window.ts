/**
 * Sliding-window rate limits (single removals per minute, batches per hour): what counts, when the
 * caller may try again, and what the X-RateLimit-* headers say. The count itself comes from the
 * database, so the limit holds across server processes.
 */
import { rateLimited } from "./errors.ts";

export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** What a window holds: how many requests, and when the oldest of them was made (null when none). */
export interface WindowCount {
  count: number;
  oldest: Date | null;
}

/** Where a caller stands against the limit: `resetAt` is when the oldest counted request leaves the window. */
export interface RateLimitStatus {
  limit: number;
  remaining: number;
  resetAt: Date;
}

/** Requests made after this instant count. */
export function windowStart(rate: RateLimit, now: Date): Date {
  return new Date(now.getTime() - rate.windowSeconds * 1000);
}

export function rateLimitStatus(rate: RateLimit, counted: WindowCount, now: Date): RateLimitStatus {
  const resetAt = counted.count > 0 && counted.oldest ? new Date(counted.oldest.getTime() + rate.windowSeconds * 1000) : now;
  return { limit: rate.limit, remaining: Math.max(0, rate.limit - counted.count), resetAt };
}

/** Throws RATE_LIMITED (with the whole seconds until a slot frees, at least 1) when the window is full. */
export function assertUnderRateLimit(rate: RateLimit, counted: WindowCount, now: Date): void {
  if (counted.count < rate.limit) return;
  const { resetAt } = rateLimitStatus(rate, counted, now);
  throw rateLimited(Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000)), rate.limit);
}
