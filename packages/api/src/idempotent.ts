import { fingerprintOf, parseIdempotencyKey, type Principal } from "@bgr/core";
import type { ApiContext } from "./trpc.ts";

/**
 * Runs a charging mutation at most once per (user, Idempotency-Key header), through the store REST
 * uses: a retry with the same input gets the first result and is never charged again.
 */
export async function idempotent<T>(
  ctx: ApiContext & { principal: Principal },
  procedure: string,
  input: unknown,
  operation: () => Promise<T>,
): Promise<T> {
  const key = parseIdempotencyKey(ctx.idempotencyKey);
  if (key === null) return operation();
  const scope = { userId: ctx.principal.userId, key, route: `tRPC ${procedure}`, fingerprint: fingerprintOf(input) };
  const outcome = await ctx.idempotency.run(scope, async () => ({ status: 200, data: await operation() }));
  if (outcome.replayed) ctx.markReplayed();
  return outcome.data as T;
}
