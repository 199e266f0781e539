import { fingerprintOf, type IdempotencyStore } from "@bgr/core";
import { DomainError } from "@bgr/domain";
import type { FastifyReply, FastifyRequest } from "fastify";
import { principalOf } from "./auth.ts";

const HEADER = "idempotency-key";
// Printable ASCII: a UUID or any client-made token; long enough for a hash, short enough to index.
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * Runs `operation` at most once per (user, Idempotency-Key): a retry with the same key and the same
 * content gets the first answer (status and data, marked `Idempotent-Replayed: true`) and is never
 * charged again. Without the header the operation simply runs. `content` is what identifies the
 * request: the parsed fields, file names and SHA-256s of the file bytes, or the JSON body.
 */
export async function runOnce(request: FastifyRequest, reply: FastifyReply, store: IdempotencyStore, content: unknown, operation: () => Promise<unknown>): Promise<unknown> {
  const key = idempotencyKeyOf(request);
  if (key === null) return operation();
  const scope = { userId: principalOf(request).userId, key, route: `${request.method} ${request.routeOptions.url}`, fingerprint: fingerprintOf(content) };
  const claim = await store.claim(scope);
  if (claim.kind === "replay") {
    reply.status(claim.status).header("Idempotent-Replayed", "true");
    return claim.response;
  }
  let data: unknown;
  try {
    data = await operation();
  } catch (error) {
    await store.release(scope);
    throw error;
  }
  await store.complete(scope, reply.statusCode, data);
  return data;
}

/**
 * Runs the cheap checks of an upload (rate limit, credits) unless the request retries one that already
 * has an answer: that retry is replayed, even though the first request used up the credits it checks.
 */
export async function precheckUnlessReplay(request: FastifyRequest, store: IdempotencyStore, check: () => Promise<void>): Promise<void> {
  const key = idempotencyKeyOf(request);
  if (key !== null && (await store.hasAnswer(principalOf(request).userId, key))) return;
  await check();
}

function idempotencyKeyOf(request: FastifyRequest): string | null {
  const value = request.headers[HEADER];
  if (value === undefined) return null;
  if (typeof value !== "string" || !KEY_PATTERN.test(value)) {
    throw new DomainError("INVALID_OPTIONS", "Idempotency-Key must be one header of 1 to 255 printable ASCII characters, e.g. a UUID.");
  }
  return value;
}
