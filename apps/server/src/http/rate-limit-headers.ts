import type { RateLimitStatus } from "@bgr/core";

/** The common X-RateLimit-* trio, on successes and on 429s alike; Reset is when a slot frees, in Unix seconds. */
export function rateLimitHeaders(status: RateLimitStatus): Record<string, string> {
  return {
    "X-RateLimit-Limit": String(status.limit),
    "X-RateLimit-Remaining": String(status.remaining),
    "X-RateLimit-Reset": String(Math.ceil(status.resetAt.getTime() / 1000)),
  };
}
