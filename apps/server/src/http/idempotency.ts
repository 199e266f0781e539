import { fingerprintOf, parseIdempotencyKey, type IdempotencyStore } from "@bgr/core";
import type { FastifyReply, FastifyRequest } from "fastify";
import { principalOf } from "./auth.ts";

/**
 * Runs `operation` at most once per (user, Idempotency-Key): a retry with the same key and the same
 * content gets the first answer (status and data, marked `Idempotent-Replayed: true`) and is never
 * charged again. Without the header the operation simply runs. `content` is what identifies the
 * request: the parsed fields, file names and SHA-256s of the file bytes, or the JSON body.
 */
export async function runOnce(
  request: FastifyRequest,
  reply: FastifyReply,
  store: IdempotencyStore,
  content: unknown,
  operation: () => Promise<unknown>,
): Promise<unknown> {
  const key = parseIdempotencyKey(request.headers["idempotency-key"]);
  if (key === null) return operation();
  const scope = {
    userId: principalOf(request).userId,
    key,
    route: `${request.method} ${request.routeOptions.url}`,
    fingerprint: fingerprintOf(content),
  };
  const outcome = await store.run(scope, async () => {
    const data = await operation();
    return { status: reply.statusCode, data };
  });
  if (outcome.replayed) reply.status(outcome.status).header("Idempotent-Replayed", "true");
  return outcome.data;
}

/**
 * Runs the cheap checks of an upload (rate limit, credits) unless the request retries one that already
 * has an answer: that retry is replayed, even though the first request used up the credits it checks.
 */
export async function precheckUnlessReplay(request: FastifyRequest, store: IdempotencyStore, check: () => Promise<void>): Promise<void> {
  const key = parseIdempotencyKey(request.headers["idempotency-key"]);
  if (key !== null && (await store.hasAnswer(principalOf(request).userId, key))) return;
  await check();
}
