import type { Executor } from "@bgr/db";
import {
  assertUnderRateLimit,
  rateLimitStatus as statusOf,
  windowStart,
  type RateLimit,
  type RateLimitStatus,
  type WindowCount,
} from "@bgr/domain";
import { removalRepository } from "../removal/removal.repository.ts";

export type { RateLimit, RateLimitStatus };

/**
 * Sliding-window limit on a user's single removals, counted from the jobs table itself so it holds
 * across server processes (the window's rule is domain's). Call under `userRepository.lock` so concurrent requests count each other.
 */
export async function assertWithinRateLimit(executor: Executor, userId: string, rate: RateLimit, now: Date): Promise<void> {
  assertUnderRateLimit(rate, await singleRemovalsInWindow(executor, userId, rate, now), now);
}

/** Where a user stands against the limit, for rate-limit headers. */
export async function rateLimitStatus(executor: Executor, userId: string, rate: RateLimit, now: Date): Promise<RateLimitStatus> {
  return statusOf(rate, await singleRemovalsInWindow(executor, userId, rate, now), now);
}

async function singleRemovalsInWindow(executor: Executor, userId: string, rate: RateLimit, now: Date): Promise<WindowCount> {
  return removalRepository.countSinglesSince(executor, userId, windowStart(rate, now));
}
