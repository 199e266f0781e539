import { isTRPCClientError, type TRPCClientError } from "@trpc/client";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import type { AppRouter, DomainErrorCode } from "./types.ts";

/** Codes this client gives failures that have no usable answer from the server. */
export type ClientErrorCode =
  /** The request never got an answer (DNS, refused connection, reset). */
  | "NETWORK_ERROR"
  /** `waitForBatch` ran past `timeoutMs`. */
  | "TIMEOUT"
  /** The caller's AbortSignal fired. */
  | "ABORTED"
  /** An answer that is not the server's JSON (e.g. a proxy's HTML error page); `status` says which. */
  | "HTTP_ERROR"
  | "UNKNOWN";

/**
 * Every code an error can carry: the server's business-rule codes, tRPC's codes (input validation,
 * `UNAUTHORIZED` without a business rule behind it), the REST layer's own (`INTERNAL`,
 * `INVALID_RANGE`) and the client's. Open-ended, so a code a newer server adds still type-checks.
 */
export type BackgroundRemoverErrorCode =
  DomainErrorCode | TRPC_ERROR_CODE_KEY | "INTERNAL" | "INVALID_RANGE" | ClientErrorCode | (string & {});

/** The facts that come with some codes (the server's documented `details`). Other codes carry none or free-form ones. */
export interface ErrorDetailsByCode {
  INSUFFICIENT_CREDITS: { required: number; available: number };
  INVALID_FILES: { files: { name: string; reason: string }[] };
  INVALID_IMAGE_COUNT: { actual: number; min: number; max: number };
  FILE_TOO_LARGE: { actualBytes: number; maxBytes: number };
  BATCH_TOO_LARGE: { actualBytes: number; maxBytes: number };
  RATE_LIMITED: { retryAfterSeconds: number };
  BUSY: { retryAfterSeconds: number };
}

export type ErrorDetails<C extends string> = C extends keyof ErrorDetailsByCode ? ErrorDetailsByCode[C] : unknown;

/**
 * What every helper of this client throws: REST failures (`{ success: false, error }` answers),
 * failures of the tRPC calls the helpers make, network failures, time-outs and aborts.
 * Calls made directly on `client.trpc` throw tRPC's own `TRPCClientError` instead;
 * `toBackgroundRemoverError` turns one into this.
 */
export class BackgroundRemoverError<C extends BackgroundRemoverErrorCode = BackgroundRemoverErrorCode> extends Error {
  override readonly name = "BackgroundRemoverError";
  readonly code: C;
  /** The HTTP status, or null when no answer came (network failure, time-out, abort). */
  readonly status: number | null;
  readonly details: ErrorDetails<C>;
  /** Seconds to wait before retrying (429, 503), from `Retry-After` or the details; null otherwise. */
  readonly retryAfterSeconds: number | null;

  constructor(
    code: C,
    message: string,
    init: { status?: number | null; details?: unknown; retryAfterSeconds?: number | null; cause?: unknown } = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status ?? null;
    this.details = init.details as ErrorDetails<C>;
    const fromDetails = (init.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    this.retryAfterSeconds = init.retryAfterSeconds ?? (typeof fromDetails === "number" ? fromDetails : null);
  }
}

/** Narrows an unknown thrown value; with a code, also to that code's `details`. */
export function isBackgroundRemoverError<C extends BackgroundRemoverErrorCode = BackgroundRemoverErrorCode>(
  error: unknown,
  code?: C,
): error is BackgroundRemoverError<C> {
  return error instanceof BackgroundRemoverError && (code === undefined || error.code === code);
}

/**
 * The error of a REST answer that was not a success: the server's `{ success: false, error: { code, message, details } }`,
 * else whatever code and message a JSON body has, else `HTTP_ERROR` with the start of the body.
 */
export function parseErrorResponse(status: number, body: string, retryAfterHeader: string | null = null): BackgroundRemoverError {
  const retryAfterSeconds = parseRetryAfter(retryAfterHeader);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const error = (json as { error?: unknown } | undefined)?.error;
  if (isRecord(error) && typeof error.code === "string") {
    const message = typeof error.message === "string" ? error.message : `The server answered ${status} ${error.code}.`;
    return new BackgroundRemoverError(error.code, message, { status, details: error.details, retryAfterSeconds });
  }
  // Answers the server's framework writes itself (e.g. a body over its limit): { statusCode, code?, error, message }.
  if (isRecord(json) && typeof json.message === "string") {
    const code = typeof json.code === "string" ? json.code : "HTTP_ERROR";
    return new BackgroundRemoverError(code, json.message, { status, retryAfterSeconds });
  }
  const excerpt = body.trim().slice(0, 200);
  return new BackgroundRemoverError("HTTP_ERROR", `The server answered ${status}${excerpt ? `: ${excerpt}` : " with an empty body"}.`, {
    status,
    retryAfterSeconds,
  });
}

/** The `data` of a `{ success: true, data }` answer; anything else becomes a BackgroundRemoverError. */
export function parseDataResponse<T>(status: number, body: string, retryAfterHeader: string | null = null): T {
  if (status >= 200 && status < 300) {
    try {
      const json = JSON.parse(body) as { success?: unknown; data?: unknown };
      if (json.success === true && "data" in json) return json.data as T;
    } catch {
      // not JSON: the error below
    }
    throw new BackgroundRemoverError(
      "HTTP_ERROR",
      `The server answered ${status} without the { success, data } body this client expects: ${body.trim().slice(0, 200)}`,
      { status },
    );
  }
  throw parseErrorResponse(status, body, retryAfterHeader);
}

/**
 * Any failure as a BackgroundRemoverError: itself; a TRPCClientError by its business-rule code
 * (`data.domainCode`, else tRPC's `data.code`), status (`data.httpStatus`) and `data.details`;
 * an abort as `ABORTED`; anything else as `UNKNOWN` with the original as `cause`.
 */
export function toBackgroundRemoverError(error: unknown): BackgroundRemoverError {
  if (error instanceof BackgroundRemoverError) return error;
  if (isTRPCClientError<AppRouter>(error)) return fromTRPCClientError(error);
  if (isAbort(error)) return new BackgroundRemoverError("ABORTED", "The request was aborted.", { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new BackgroundRemoverError("UNKNOWN", message, { cause: error });
}

function fromTRPCClientError(error: TRPCClientError<AppRouter>): BackgroundRemoverError {
  const data = error.data;
  if (!data) {
    // No tRPC error body: the request failed before the server could answer (or the answer was not tRPC's).
    const code = isAbort(error.cause) ? "ABORTED" : "NETWORK_ERROR";
    return new BackgroundRemoverError(code, error.message, { cause: error });
  }
  return new BackgroundRemoverError(data.domainCode ?? data.code, error.message, {
    status: data.httpStatus,
    details: data.details ?? undefined,
    cause: error,
  });
}

export function isAbort(error: unknown): boolean {
  return isRecord(error) && (error.name === "AbortError" || error.name === "TimeoutError");
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
