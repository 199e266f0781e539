import { setTimeout as sleep } from "node:timers/promises";
import { backoff, discard, readCapped } from "@bgr/http";
import { Agent, errors, request, type Dispatcher } from "undici";

/** How patient the service is with a remote model. Every limit is per attempt. */
export interface HttpPolicy {
  /** TCP (and TLS) connection set-up. */
  connectTimeoutMs: number;
  /** From sending the request to the response's headers: the remote inference happens in here. */
  headersTimeoutMs: number;
  /** Longest silence while the body arrives. */
  bodyTimeoutMs: number;
  /** Whole attempt, however the time is spent (a body trickling in just under bodyTimeoutMs included). */
  attemptTimeoutMs: number;
  /** Attempts in all, the first included. Only 5xx, 429, timeouts and connection failures are retried. */
  maxAttempts: number;
  /** Delay before the first retry; doubles for each next one, with jitter, up to maxBackoffMs. */
  backoffMs: number;
  /** Longest wait between attempts; a Retry-After asking for more ends the retries at once. */
  maxBackoffMs: number;
  /** Larger answers are refused (declared or streamed): a mask is never this big. */
  maxResponseBytes: number;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  connectTimeoutMs: 5_000,
  // Serverless models can take a while on a cold start; 503s while loading are retried.
  headersTimeoutMs: 30_000,
  bodyTimeoutMs: 10_000,
  attemptTimeoutMs: 45_000,
  maxAttempts: 3,
  backoffMs: 500,
  maxBackoffMs: 4_000,
  maxResponseBytes: 32 * 1024 * 1024,
};

/** A remote call that did not produce a usable answer; `retryable` says whether another attempt may. */
export class RemoteCallError extends Error {
  override readonly name = "RemoteCallError";
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

export interface RemotePost {
  /** For messages: which service this is. */
  service: string;
  url: URL;
  headers: Record<string, string>;
  body: Uint8Array | string;
  /** Whether a 200 with this content type is an answer worth reading. */
  accepts: (contentType: string) => boolean;
}

export interface RemoteAnswer {
  contentType: string;
  body: Buffer;
  attempts: number;
}

/**
 * POSTs to remote models over one pooled, keep-alive undici Agent, with the timeouts, retries and
 * size cap of `policy`. Answers only 200s with an accepted content type; throws RemoteCallError.
 */
export class RemoteHttp {
  private readonly agent: Agent;

  constructor(
    readonly policy: HttpPolicy,
    private readonly random: () => number = Math.random,
  ) {
    this.agent = new Agent({
      connect: { timeout: policy.connectTimeoutMs },
      headersTimeout: policy.headersTimeoutMs,
      bodyTimeout: policy.bodyTimeoutMs,
      keepAliveTimeout: 10_000,
    });
  }

  async post(call: RemotePost): Promise<RemoteAnswer> {
    for (let attempt = 1; ; attempt++) {
      try {
        return { ...(await this.attempt(call)), attempts: attempt };
      } catch (error) {
        const failure = classify(error, call.service);
        const delay = this.delayBefore(attempt, failure.details.retryAfterMs);
        if (!failure.retryable || attempt >= this.policy.maxAttempts || delay === null) {
          throw new RemoteCallError(
            `${failure.message} (attempt ${attempt} of ${this.policy.maxAttempts})`,
            failure.retryable,
            failure.details,
          );
        }
        await sleep(delay);
      }
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async attempt(call: RemotePost): Promise<Omit<RemoteAnswer, "attempts">> {
    const response = await request(call.url, {
      dispatcher: this.agent,
      method: "POST",
      headers: call.headers,
      body: call.body,
      signal: AbortSignal.timeout(this.policy.attemptTimeoutMs),
    });
    const { statusCode, headers, body } = response;
    const contentType = headerValue(headers["content-type"]) ?? "";
    if (statusCode !== 200) {
      const detail = await snippet(body);
      const retryable = statusCode >= 500 || statusCode === 429;
      throw new RemoteCallError(`${call.service} answered HTTP ${statusCode}${detail ? `: ${detail}` : ""}`, retryable, {
        status: statusCode,
        retryAfterMs: parseRetryAfter(headerValue(headers["retry-after"])),
      });
    }
    if (!call.accepts(contentType)) {
      discard(body);
      throw new RemoteCallError(`${call.service} answered with content type "${contentType || "none"}", not an image or JSON`, false);
    }
    const declared = Number(headerValue(headers["content-length"]));
    if (declared > this.policy.maxResponseBytes) {
      discard(body);
      throw new RemoteCallError(`${call.service} answered ${declared} bytes, more than the ${this.policy.maxResponseBytes} allowed`, false);
    }
    const bytes = await readCapped(body, this.policy.maxResponseBytes);
    if (!bytes) throw new RemoteCallError(`${call.service} answered more than the ${this.policy.maxResponseBytes} bytes allowed`, false);
    return { contentType, body: bytes };
  }

  /** Delay before attempt `attempt + 1`, or null when the service asks for a longer wait than we allow. */
  private delayBefore(attempt: number, retryAfterMs: number | undefined): number | null {
    const { backoffMs, maxBackoffMs } = this.policy;
    if (retryAfterMs !== undefined && retryAfterMs > maxBackoffMs) return null;
    return Math.max(backoff(backoffMs, attempt, maxBackoffMs, this.random), retryAfterMs ?? 0);
  }
}

const RETRYABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** Sorts what a failed attempt threw into retryable (timeouts, broken connections) or not. */
function classify(error: unknown, service: string): RemoteCallError {
  if (error instanceof RemoteCallError) return error;
  if (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    return new RemoteCallError(`${service} timed out (${error.message})`, true, { cause: error });
  }
  if (
    error instanceof Error &&
    (error.name === "TimeoutError" || error.name === "AbortError" || error instanceof errors.RequestAbortedError)
  ) {
    return new RemoteCallError(`${service} did not finish in time`, true, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (
    error instanceof errors.SocketError ||
    error instanceof errors.ResponseContentLengthMismatchError ||
    (typeof code === "string" && RETRYABLE_CODES.has(code))
  ) {
    return new RemoteCallError(`${service} connection failed (${(error as Error).message})`, true, { cause: error });
  }
  return new RemoteCallError(`${service} call failed (${error instanceof Error ? error.message : String(error)})`, false, { cause: error });
}

/** The start of an error answer, for the log; the rest is discarded. */
async function snippet(body: Dispatcher.ResponseData["body"]): Promise<string> {
  let text = "";
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      text += chunk.toString("utf8");
      if (text.length >= 200) break;
    }
  } catch {
    // The status already says it failed; a broken error body adds nothing.
  } finally {
    discard(body);
  }
  return text.replace(/\s+/g, " ").trim().slice(0, 200);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After in seconds or as an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
