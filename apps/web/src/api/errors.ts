import { errorRowOf } from "@bgr/domain/error-table";
import { TRPCClientError } from "@trpc/client";

/** Any failure of a call to the server, REST or tRPC, in one shape the UI can word. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface ErrorEnvelope {
  success?: false;
  error?: { code?: string; message?: string; details?: unknown };
}

/** Builds an ApiError from a REST response body (`{ success:false, error:{ code, message, details } }`). */
export function apiErrorFromResponse(status: number, body: unknown, retryAfterHeader: string | null): ApiError {
  const error = (body as ErrorEnvelope | null)?.error;
  const details = isRecord(error?.details) ? error.details : null;
  return new ApiError(
    status,
    error?.code ?? `HTTP_${status}`,
    error?.message ?? `The server answered ${status}.`,
    details,
    retryAfter(retryAfterHeader, details),
  );
}

/** Normalises whatever a query or mutation threw (tRPC client error, ApiError, network failure). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as { code?: string; httpStatus?: number; domainCode?: string | null; details?: unknown };
    const details = isRecord(data.details) ? data.details : null;
    const status = data.httpStatus ?? errorRowOf(data.domainCode ?? "")?.http ?? 0;
    return new ApiError(status, data.domainCode ?? data.code ?? "NETWORK", error.message, details, retryAfter(null, details));
  }
  return new ApiError(0, "NETWORK", error instanceof Error ? error.message : String(error));
}

function retryAfter(header: string | null, details: Record<string, unknown> | null): number | null {
  const fromHeader = header ? Number(header) : NaN;
  if (Number.isFinite(fromHeader) && fromHeader > 0) return fromHeader;
  const fromDetails = details?.retryAfterSeconds;
  return typeof fromDetails === "number" && fromDetails > 0 ? fromDetails : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
