import { createHash } from "node:crypto";
import type { Database } from "@bgr/db";
import { DomainError } from "@bgr/domain";
import { idempotencyRepository } from "./idempotency.repository.ts";

/** Which request an Idempotency-Key names: per user, so one user's key never touches another's. */
export interface IdempotencyScope {
  userId: string;
  key: string;
  /** e.g. "POST /remove". */
  route: string;
  /** From `fingerprintOf`: the same key with other content is refused, not replayed. */
  fingerprint: string;
}

/** A request's outcome through `run`: `replayed` when it is the first request's answer, given again. */
export interface IdempotentOutcome {
  status: number;
  data: unknown;
  replayed: boolean;
}

// Printable ASCII: a UUID or any client-made token; long enough for a hash, short enough to index.
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** An Idempotency-Key header as received (REST or tRPC): null when absent; a 400 when malformed or repeated. */
export function parseIdempotencyKey(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  if (typeof value !== "string" || !KEY_PATTERN.test(value)) {
    throw new DomainError("INVALID_OPTIONS", "Idempotency-Key must be one header of 1 to 255 printable ASCII characters, e.g. a UUID.");
  }
  return value;
}

export type IdempotencyClaim = { kind: "first" } | { kind: "replay"; status: number; response: unknown };

/** How long a key is remembered; after that the same key names a new request (as with Stripe's keys). */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/**
 * Remembers requests by Idempotency-Key in the database, so a retry reaches the first answer on any
 * server process. The (user, key) primary key is the lock: of two concurrent duplicates exactly one
 * inserts its row and runs; the other finds the row and is told to wait (nothing runs twice).
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /**
   * Runs `operation` at most once per (user, key): a retry with the same content gets the first
   * answer and is never charged again. A failed first run is forgotten, so a retry runs afresh
   * (failures charge nothing, or refund).
   */
  async run(scope: IdempotencyScope, operation: () => Promise<{ status: number; data: unknown }>): Promise<IdempotentOutcome> {
    const claim = await this.claim(scope);
    if (claim.kind === "replay") return { status: claim.status, data: claim.response, replayed: true };
    let outcome: { status: number; data: unknown };
    try {
      outcome = await operation();
    } catch (error) {
      await this.release(scope);
      throw error;
    }
    await this.complete(scope, outcome.status, outcome.data);
    return { ...outcome, replayed: false };
  }

  async claim(scope: IdempotencyScope): Promise<IdempotencyClaim> {
    await idempotencyRepository.deleteIfOlder(this.db, scope, this.expiredBefore());
    // Twice at most: the first owner may release its row between our insert and our read.
    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await idempotencyRepository.claim(this.db, {
        userId: scope.userId,
        key: scope.key,
        route: scope.route,
        fingerprint: scope.fingerprint,
        createdAt: this.now(),
      });
      if (inserted) return { kind: "first" };
      const existing = await idempotencyRepository.find(this.db, scope);
      if (!existing) continue;
      if (existing.route !== scope.route || existing.fingerprint !== scope.fingerprint) {
        throw new DomainError(
          "IDEMPOTENCY_KEY_REUSED",
          `This Idempotency-Key was already used for a different request (${existing.route}). Send a new key with each new request, and the same key only to retry the same request.`,
        );
      }
      if (existing.responseStatus === null) {
        throw new DomainError(
          "IDEMPOTENCY_KEY_IN_USE",
          "The first request with this Idempotency-Key is still running, or was interrupted. Retry in a few seconds; if this persists, check GET /jobs before sending it again with a new key.",
        );
      }
      return { kind: "replay", status: existing.responseStatus, response: existing.response };
    }
    throw new DomainError("IDEMPOTENCY_KEY_IN_USE", "Another request with this Idempotency-Key is starting. Retry in a few seconds.");
  }

  /** Whether (user, key) holds a finished answer, which a retry must get even where the cheap checks would now refuse it. */
  async hasAnswer(userId: string, key: string): Promise<boolean> {
    const row = await idempotencyRepository.findSince(this.db, { userId, key }, this.expiredBefore());
    return row !== null && row.responseStatus !== null;
  }

  /** The first request succeeded: its answer is what every retry gets. */
  async complete(scope: IdempotencyScope, status: number, response: unknown): Promise<void> {
    await idempotencyRepository.recordAnswer(this.db, scope, status, response, this.now());
  }

  /** The first request failed (and so charged nothing, or refunded): a retry runs afresh. */
  async release(scope: IdempotencyScope): Promise<void> {
    await idempotencyRepository.delete(this.db, scope);
  }

  /** Keys made before this instant are forgotten. */
  private expiredBefore(): Date {
    return new Date(this.now().getTime() - IDEMPOTENCY_KEY_TTL_HOURS * 3600_000);
  }
}

/** SHA-256 of a request's content in canonical JSON (object keys sorted), so field order does not matter. */
export function fingerprintOf(content: unknown): string {
  const canonical = JSON.stringify(content, (_key, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash("sha256").update(canonical).digest("hex");
}
