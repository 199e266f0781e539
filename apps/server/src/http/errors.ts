import { ERROR_TABLE, isDomainError } from "@bgr/domain";
import type { FastifyReply } from "fastify";
import { rateLimitHeaders } from "./rate-limit-headers.ts";

interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
}

/**
 * Errors raised before our handlers run (Fastify's body parsers, the multipart reader, Node's HTTP
 * parser), keyed by their own codes: each becomes a 4xx in our envelope with a message that says
 * what to send instead, never Fastify's default body.
 */
const TRANSPORT_ERRORS: Record<string, ErrorAnswer> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: "INVALID_JSON",
    message: "The body is not valid JSON. Send a JSON object, or drop the Content-Type: application/json header.",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: "INVALID_JSON",
    message: "The body is empty but Content-Type says JSON. Send a JSON object, or drop the Content-Type header.",
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    message: "The JSON body is larger than 1 MB. Send images as multipart/form-data uploads, not inside JSON.",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "This content type is not accepted. Send application/json, or multipart/form-data for uploads.",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: "INVALID_REQUEST",
    message: "Content-Length does not match the body that was sent.",
  },
  FST_FIELDS_LIMIT: {
    status: 413,
    code: "TOO_MANY_FIELDS",
    message: "A form holds at most 20 text fields. Send only the fields the docs list.",
  },
  FST_PARTS_LIMIT: {
    status: 413,
    code: "TOO_MANY_FIELDS",
    message: "The form has too many parts. Send only the images and the fields the docs list.",
  },
  FST_FILES_LIMIT: { status: 413, code: "TOO_MANY_FILES", message: "The form has more files than this endpoint takes. Split the upload." },
  FST_PROTO_VIOLATION: {
    status: 400,
    code: "INVALID_FIELD_NAME",
    message: "Field names such as __proto__, constructor or prototype are not allowed. Use the field names the docs list.",
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the upload as multipart/form-data." },
  FST_MP_PREMATURE_CLOSE: {
    status: 400,
    code: "INVALID_REQUEST",
    message: "The upload ended before the form was complete. Send it again.",
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: "HEADERS_TOO_LARGE",
    message: "The request headers are too large. Send fewer or shorter headers (cookies included).",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: "REQUEST_TIMEOUT",
    message: "The request was not received in time. Check the connection and send it again.",
  },
};

const INTERNAL: ErrorAnswer = {
  status: 500,
  code: "INTERNAL",
  message: "Something went wrong on our side. Try again; if it persists, contact support with the request id.",
};
const MALFORMED: ErrorAnswer = {
  status: 400,
  code: "INVALID_REQUEST",
  message: "The request could not be read. Check its headers and body against the docs.",
};

export interface ErrorBody {
  success: false;
  error: { code: string; message: string; details?: unknown; requestId: string };
}

/** What a client is told about any thrown value: the domain's own words, a transport error's table row, else a bare 500. */
export function describeError(error: unknown): ErrorAnswer & { details?: unknown } {
  if (isDomainError(error))
    return { status: ERROR_TABLE[error.code].http, code: error.code, message: error.message, details: error.details };
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (typeof code === "string" && TRANSPORT_ERRORS[code]) return TRANSPORT_ERRORS[code];
  // Other client errors Fastify raised itself (its own 4xx): say so without echoing its internals.
  if (typeof statusCode === "number" && statusCode >= 400 && statusCode < 500) return { ...MALFORMED, status: statusCode };
  return INTERNAL;
}

/** The error envelope for a raw socket, where Node rejected the request before Fastify saw it (431, 408, 400). */
export function clientErrorResponse(error: { code?: string }): string {
  const answer = (error.code && TRANSPORT_ERRORS[error.code]) || MALFORMED;
  const body = JSON.stringify({ success: false, error: { code: answer.code, message: answer.message } });
  return `HTTP/1.1 ${answer.status} ${answer.code}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown) {
  const body: ErrorBody = {
    success: false,
    error: { code, message, ...(details === undefined ? {} : { details }), requestId: reply.request.id },
  };
  // Explicit: a route may already have set another type (a ZIP download) before it failed.
  return reply.status(status).header("Content-Type", "application/json; charset=utf-8").send(body);
}

/** Any failure → its status and our envelope (Retry-After where the error carries one); internals go only to the log. */
export function sendFailure(reply: FastifyReply, error: unknown) {
  const answer = describeError(error);
  // Refused mid-upload (402, 429, a bad file): the rest of the body is not worth receiving, so the
  // answer closes the connection and the client stops sending instead of streaming on into the void.
  if (!reply.request.raw.complete) reply.header("Connection", "close");
  if (answer.status >= 500 && !isDomainError(error)) reply.log.error({ err: error, requestId: reply.request.id }, "unhandled error");
  const { retryAfterSeconds, limit } = (answer.details ?? {}) as { retryAfterSeconds?: number; limit?: number };
  if (retryAfterSeconds) reply.header("Retry-After", String(retryAfterSeconds));
  if (isDomainError(error, "RATE_LIMITED") && limit !== undefined && retryAfterSeconds) {
    reply.headers(rateLimitHeaders({ limit, remaining: 0, resetAt: new Date(Date.now() + retryAfterSeconds * 1000) }));
  }
  return sendError(reply, answer.status, answer.code, answer.message, answer.details);
}

export function sendData(reply: FastifyReply, data: unknown, status = 200) {
  return reply.status(status).send({ success: true, data });
}
