/**
 * Business-rule failures, named by what went wrong rather than by HTTP status: ERROR_TABLE
 * (error-table.ts) maps each to its HTTP status and tRPC code.
 * Messages are written for the end user and say what to do next.
 */
export const DOMAIN_ERROR_CODES = [
  /** The requested quality tier does not exist. */
  "INVALID_TIER",
  /** A batch (or a price request) has too few or too many images. */
  "INVALID_IMAGE_COUNT",
  /** One uploaded file is over the per-file size limit. */
  "FILE_TOO_LARGE",
  /** The files of one batch together are over the per-batch size limit. */
  "BATCH_TOO_LARGE",
  /** The user's credit balance cannot pay for the request. */
  "INSUFFICIENT_CREDITS",
  /** The user's subscription plan does not include the tier, and the caller insisted on the plan. */
  "TIER_NOT_ALLOWED",
  /** The user sent too many requests; try again later. */
  "RATE_LIMITED",
  /** The thing asked for does not exist, or is not the user's to see. */
  "NOT_FOUND",
  /** The request contradicts the current state (e.g. subscribing while a plan runs); the message says what to do instead. */
  "CONFLICT",
  /** The upload is not an image we can process (format, corrupt, too small, too many pixels). */
  "INVALID_IMAGE",
  /** The output options contradict each other or name something unknown (e.g. JPEG with transparency). */
  "INVALID_OPTIONS",
  /** Some files of a batch cannot be processed; `details.files` names each with its reason. */
  "INVALID_FILES",
  /** Nobody is signed in. */
  "UNAUTHORIZED",
  /** Signed in, but not allowed to do this. */
  "FORBIDDEN",
  /** Signed in with an API key whose scopes do not cover this request; `details` names the scope needed. */
  "INSUFFICIENT_SCOPE",
  /** The server is saturated; not the user's fault, try again shortly. */
  "BUSY",
  /** This deployment is not connected to the service the request needs (e.g. a Lumiku app's URL is unset). */
  "NOT_CONFIGURED",
  /** Another service we depend on (a Lumiku app) failed or answered something unusable; nothing was charged. */
  "UPSTREAM_FAILED",
  /** Another service we depend on did not answer in time; nothing was charged. */
  "UPSTREAM_TIMEOUT",
  /** An Idempotency-Key already named a different request; a new request needs a new key. */
  "IDEMPOTENCY_KEY_REUSED",
  /** The first request with this Idempotency-Key has not finished (or was interrupted); nothing was done twice. */
  "IDEMPOTENCY_KEY_IN_USE",
  /** The file existed but retention deleted it after its keeping period; the job's record stays. */
  "FILE_EXPIRED",
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** Facts a client needs to act on an error (e.g. "this needs 720, you have 500"). Codes not listed carry none. */
export interface DomainErrorDetailsByCode {
  INVALID_IMAGE_COUNT: { actual: number; min: number; max: number };
  FILE_TOO_LARGE: { actualBytes: number; maxBytes: number };
  BATCH_TOO_LARGE: { actualBytes: number; maxBytes: number };
  INSUFFICIENT_CREDITS: { required: number; available: number };
  INVALID_FILES: { files: { name: string; reason: string }[] };
  /** Optional: the engine's reason (e.g. `too_many_pixels`, `no_foreground`), for APIs with finer error codes. */
  INVALID_IMAGE: { reason: string } | undefined;
  /** `limit`: requests allowed per window, for the X-RateLimit-Limit header. */
  RATE_LIMITED: { retryAfterSeconds: number; limit?: number };
  BUSY: { retryAfterSeconds: number };
  INSUFFICIENT_SCOPE: { required: string; granted: string[] };
}

export type DomainErrorDetails<C extends DomainErrorCode> = C extends keyof DomainErrorDetailsByCode
  ? DomainErrorDetailsByCode[C]
  : undefined;

// Details are required exactly for the codes that have them, so a 402 can never lack its numbers
// (optional where their type admits undefined).
type DetailsArgs<C extends DomainErrorCode> = [DomainErrorDetails<C>] extends [undefined]
  ? []
  : undefined extends DomainErrorDetails<C>
    ? [details?: DomainErrorDetails<C>]
    : [details: DomainErrorDetails<C>];

export class DomainError<C extends DomainErrorCode = DomainErrorCode> extends Error {
  override readonly name = "DomainError";
  readonly details: DomainErrorDetails<C>;

  constructor(
    readonly code: C,
    message: string,
    ...details: DetailsArgs<C>
  ) {
    super(message);
    this.details = details[0] as DomainErrorDetails<C>;
  }
}

/** Narrows an unknown thrown value, optionally to one code so that `details` gets its precise type. */
export function isDomainError<C extends DomainErrorCode = DomainErrorCode>(value: unknown, code?: C): value is DomainError<C> {
  return value instanceof DomainError && (code === undefined || value.code === code);
}

export function insufficientCredits(required: number, available: number): DomainError<"INSUFFICIENT_CREDITS"> {
  const missing = required - available;
  return new DomainError(
    "INSUFFICIENT_CREDITS",
    `This needs ${required} credits and you have ${available}. Buy at least ${missing} more credits, choose a cheaper tier, or send fewer images.`,
    { required, available },
  );
}

export function rateLimited(retryAfterSeconds: number, limit?: number): DomainError<"RATE_LIMITED"> {
  return new DomainError(
    "RATE_LIMITED",
    `Too many requests. Try again in ${retryAfterSeconds} seconds.`,
    limit === undefined ? { retryAfterSeconds } : { retryAfterSeconds, limit },
  );
}

export function busy(retryAfterSeconds: number): DomainError<"BUSY"> {
  return new DomainError("BUSY", `The service is at capacity right now. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
}
