/**
 * The one mapping of business-rule failures to what each API says: the HTTP status (REST), the
 * tRPC code, and a sentence for clients that have only the code (the server's own message, written
 * where the error is raised, says more). `Record<DomainErrorCode, …>` makes a forgotten code a
 * compile error.
 */
import type { DomainErrorCode } from "./errors.ts";

/** The tRPC error codes this table uses (a subset of @trpc/server's; @bgr/api checks that it stays one). */
export type TrpcErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "PAYMENT_REQUIRED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "UNPROCESSABLE_CONTENT"
  | "TOO_MANY_REQUESTS"
  | "NOT_IMPLEMENTED"
  | "BAD_GATEWAY"
  | "SERVICE_UNAVAILABLE"
  | "GATEWAY_TIMEOUT";

export interface ErrorTableRow {
  http: number;
  trpc: TrpcErrorCode;
  message: string;
}

export const ERROR_TABLE: Readonly<Record<DomainErrorCode, ErrorTableRow>> = Object.freeze({
  INVALID_TIER: {
    http: 400,
    trpc: "BAD_REQUEST",
    message: "That quality tier does not exist. Choose basic, standard, professional or industry.",
  },
  INVALID_IMAGE_COUNT: {
    http: 400,
    trpc: "BAD_REQUEST",
    message: "A batch needs a different number of images. Check the limits and send again.",
  },
  FILE_TOO_LARGE: { http: 400, trpc: "PAYLOAD_TOO_LARGE", message: "The file is too large. Send a smaller image." },
  BATCH_TOO_LARGE: { http: 400, trpc: "PAYLOAD_TOO_LARGE", message: "The batch is too large. Send fewer or smaller images." },
  INSUFFICIENT_CREDITS: { http: 402, trpc: "PAYMENT_REQUIRED", message: "Not enough credits. Top up your credits or pick a cheaper tier." },
  TIER_NOT_ALLOWED: {
    http: 403,
    trpc: "FORBIDDEN",
    message: "Your plan does not include this tier. Pick another tier or pay with credits.",
  },
  RATE_LIMITED: { http: 429, trpc: "TOO_MANY_REQUESTS", message: "Too many requests. Wait a little and try again." },
  NOT_FOUND: { http: 404, trpc: "NOT_FOUND", message: "Not found, or not yours to see." },
  CONFLICT: { http: 409, trpc: "CONFLICT", message: "This contradicts the current state. Reload and try again." },
  INVALID_IMAGE: { http: 400, trpc: "BAD_REQUEST", message: "This is not an image we can process. Send a JPEG, PNG or WebP photo." },
  INVALID_OPTIONS: { http: 400, trpc: "BAD_REQUEST", message: "The output options contradict each other. Check them and send again." },
  INVALID_FILES: { http: 400, trpc: "BAD_REQUEST", message: "Some files cannot be processed. Remove them and send again." },
  UNAUTHORIZED: { http: 401, trpc: "UNAUTHORIZED", message: "Sign in first, with a valid token or API key." },
  FORBIDDEN: { http: 403, trpc: "FORBIDDEN", message: "You are not allowed to do this." },
  INSUFFICIENT_SCOPE: {
    http: 403,
    trpc: "FORBIDDEN",
    message: "This API key's scopes do not cover this request. Use a key with the scope needed.",
  },
  BUSY: { http: 503, trpc: "SERVICE_UNAVAILABLE", message: "The service is at capacity. Try again shortly." },
  NOT_CONFIGURED: { http: 501, trpc: "NOT_IMPLEMENTED", message: "This deployment is not connected to the service this needs." },
  UPSTREAM_FAILED: { http: 502, trpc: "BAD_GATEWAY", message: "Another service failed; nothing was charged. Try again." },
  UPSTREAM_TIMEOUT: {
    http: 504,
    trpc: "GATEWAY_TIMEOUT",
    message: "Another service did not answer in time; nothing was charged. Try again.",
  },
  IDEMPOTENCY_KEY_REUSED: {
    http: 422,
    trpc: "UNPROCESSABLE_CONTENT",
    message: "This Idempotency-Key named a different request. Use a new key.",
  },
  IDEMPOTENCY_KEY_IN_USE: {
    http: 409,
    trpc: "CONFLICT",
    message: "The first request with this Idempotency-Key has not finished. Wait and retry.",
  },
  // tRPC has no 410; the domain code in the error's data says it is gone for good.
  FILE_EXPIRED: { http: 410, trpc: "NOT_FOUND", message: "This file was deleted after its keeping period." },
});

/** The row of a code a server sent (REST's code or tRPC's domainCode); null for codes that are not business rules. */
export function errorRowOf(code: string): ErrorTableRow | null {
  return Object.hasOwn(ERROR_TABLE, code) ? ERROR_TABLE[code as DomainErrorCode] : null;
}
