import { isDomainError, type DomainErrorCode } from "@bgr/domain";
import type { FastifyReply } from "fastify";

/** The one mapping from business-rule failures to HTTP statuses (tRPC has its twin in @bgr/api). */
export const HTTP_STATUS: Record<DomainErrorCode, number> = {
  INVALID_TIER: 400,
  INVALID_IMAGE_COUNT: 400,
  FILE_TOO_LARGE: 400,
  BATCH_TOO_LARGE: 400,
  INSUFFICIENT_CREDITS: 402,
  TIER_NOT_ALLOWED: 403,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_IMAGE: 400,
  INVALID_OPTIONS: 400,
  INVALID_FILES: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  BUSY: 503,
  NOT_CONFIGURED: 501,
  UPSTREAM_FAILED: 502,
  UPSTREAM_TIMEOUT: 504,
};

export interface ErrorBody {
  success: false;
  error: { code: string; message: string; details?: unknown };
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  const body: ErrorBody = { success: false, error: { code, message, ...(details === undefined ? {} : { details }) } };
  return reply.status(status).send(body);
}

/** Domain errors become their status (with Retry-After where the error carries one); anything else is a 500. */
export function sendFailure(reply: FastifyReply, error: unknown) {
  if (isDomainError(error)) {
    const details = error.details as { retryAfterSeconds?: number } | undefined;
    if (details?.retryAfterSeconds) reply.header("Retry-After", String(details.retryAfterSeconds));
    return sendError(reply, HTTP_STATUS[error.code], error.code, error.message, error.details);
  }
  reply.log.error({ err: error }, "unhandled error");
  return sendError(reply, 500, "INTERNAL", "Something went wrong on our side. Try again; if it persists, contact support.");
}

export function sendData(reply: FastifyReply, data: unknown, status = 200) {
  return reply.status(status).send({ success: true, data });
}
