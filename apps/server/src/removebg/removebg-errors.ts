import { isDomainError, type DomainErrorCode } from "@bgr/domain";
import { ImageUrlError } from "@bgr/integrations";
import type { FastifyReply } from "fastify";

/** One error in remove.bg's shape: `{ errors: [{ title, code, detail }] }` with its status. */
export class RemoveBgError extends Error {
  override readonly name = "RemoveBgError";
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

/** Our error codes → remove.bg's statuses and codes (402 credits, 403 auth, 429 rate limits, 400 for the rest of the caller's mistakes). */
const FROM_DOMAIN: Record<DomainErrorCode, [status: number, code: string, title: string]> = {
  INVALID_TIER: [400, "invalid_parameter", "Invalid parameter: X-Tier"],
  INVALID_IMAGE_COUNT: [400, "invalid_parameter", "Invalid number of images"],
  FILE_TOO_LARGE: [400, "file_too_large", "File too large"],
  BATCH_TOO_LARGE: [400, "file_too_large", "File too large"],
  INSUFFICIENT_CREDITS: [402, "insufficient_credits", "Insufficient credits"],
  TIER_NOT_ALLOWED: [403, "tier_not_allowed", "Tier not allowed"],
  RATE_LIMITED: [429, "rate_limit_exceeded", "Rate limit exceeded"],
  NOT_FOUND: [404, "not_found", "Not found"],
  CONFLICT: [409, "conflict", "Conflict"],
  INVALID_IMAGE: [400, "invalid_image", "Invalid image"],
  INVALID_OPTIONS: [400, "invalid_parameter", "Invalid parameter"],
  INVALID_FILES: [400, "invalid_image", "Invalid image"],
  UNAUTHORIZED: [403, "auth_failed", "Authentication failed"],
  FORBIDDEN: [403, "forbidden", "Forbidden"],
  BUSY: [503, "service_busy", "Service busy"],
  NOT_CONFIGURED: [501, "not_configured", "Not configured"],
  UPSTREAM_FAILED: [502, "upstream_failed", "Upstream failed"],
  UPSTREAM_TIMEOUT: [504, "upstream_timeout", "Upstream timeout"],
  IDEMPOTENCY_KEY_REUSED: [422, "idempotency_key_reused", "Idempotency key reused"],
  IDEMPOTENCY_KEY_IN_USE: [409, "idempotency_key_in_use", "Idempotency key in use"],
  INSUFFICIENT_SCOPE: [403, "insufficient_scope", "API key scope insufficient"],
  FILE_EXPIRED: [410, "file_expired", "File expired"],
};

/** The engine's reasons for refusing an image, as remove.bg names them. */
const FROM_IMAGE_REASON: Record<string, [code: string, title: string]> = {
  no_foreground: ["unknown_foreground", "Could not identify foreground in image"],
  too_many_pixels: ["resolution_too_high", "Input image resolution too high"],
  too_small: ["resolution_too_low", "Input image resolution too low"],
  unsupported_format: ["unknown_format", "Unknown image format"],
  empty: ["missing_source", "No image given"],
  corrupt: ["invalid_image", "Invalid image"],
};

export function toRemoveBgError(error: unknown): RemoveBgError | null {
  if (error instanceof RemoveBgError) return error;
  if (error instanceof ImageUrlError) {
    if (error.kind === "too-large") return new RemoveBgError(400, "file_too_large", "File too large", error.message);
    return new RemoveBgError(400, "failed_to_download", "Failed to download image from URL", error.message);
  }
  if (!isDomainError(error)) return null;
  const details = error.details as { retryAfterSeconds?: number; reason?: string } | undefined;
  const byReason = error.code === "INVALID_IMAGE" && details?.reason ? FROM_IMAGE_REASON[details.reason] : undefined;
  const [status, code, title] = FROM_DOMAIN[error.code];
  return new RemoveBgError(status, byReason?.[0] ?? code, byReason?.[1] ?? title, error.message, details?.retryAfterSeconds);
}

export function sendRemoveBgError(reply: FastifyReply, error: unknown) {
  const known = toRemoveBgError(error);
  if (!known) {
    reply.log.error({ err: error }, "unhandled error");
    return reply.status(500).send({
      errors: [
        {
          title: "Internal server error",
          code: "internal_error",
          detail: "Something went wrong on our side. Try again; if it persists, contact support.",
        },
      ],
    });
  }
  if (known.retryAfterSeconds) reply.header("Retry-After", String(known.retryAfterSeconds));
  return reply.status(known.status).send({ errors: [{ title: known.title, code: known.code, detail: known.detail }] });
}
