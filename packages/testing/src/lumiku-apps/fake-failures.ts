import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * A failure the fake injects into matching requests. `times`: only the first N matching requests
 * (then the endpoint behaves again); omitted: every request.
 */
export type FakeFailure =
  /** Wait before answering (a slow app: our headers timeout). */
  | { type: "delay"; ms: number; times?: number }
  /** Send the headers and half the body, wait, then the rest (our body timeout). */
  | { type: "stall-body"; ms: number; times?: number }
  /**
   * Answer with this status and a platform error envelope. `afterHandling`: the endpoint runs first
   * (an upscale is made and charged), only its answer is lost.
   */
  | { type: "status"; status: number; times?: number; afterHandling?: boolean }
  /** Close the connection without answering. `afterHandling` as for "status". */
  | { type: "reset"; times?: number; afterHandling?: boolean }
  /** Declare the full Content-Length, send half the body, then drop the connection. */
  | { type: "truncate"; times?: number }
  /** Serve with this Content-Type instead. */
  | { type: "content-type"; contentType: string; times?: number }
  /** Answer with a redirect to `location` instead. */
  | { type: "redirect"; location: string; status?: 301 | 302 | 303 | 307 | 308; times?: number }
  /** Answer 200 with this raw body instead (malformed JSON, a wrong shape…). */
  | { type: "body"; body: string | Uint8Array; contentType?: string; times?: number }
  /** Stream the body chunked, without Content-Length (its size is unknown until the end). */
  | { type: "chunked"; times?: number }
  /** Stream the body, then zeros, chunked and without end, until the client goes away. */
  | { type: "endless"; times?: number };

/** What an endpoint answers before failures are applied. */
export interface FakeReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function jsonReply(status: number, value: unknown): FakeReply {
  return { status, headers: { "content-type": "application/json; charset=utf-8" }, body: Buffer.from(JSON.stringify(value)) };
}

export function errorReply(status: number, message: string): FakeReply {
  return jsonReply(status, { success: false, error: message });
}

/** A failure that replaces the endpoint's answer, or null when the endpoint should run. */
export function preemptingReply(failures: FakeFailure[]): FakeReply | "reset" | null {
  for (const failure of failures) {
    if (failure.type === "status" && !failure.afterHandling) return errorReply(failure.status, `Injected failure (HTTP ${failure.status})`);
    if (failure.type === "reset" && !failure.afterHandling) return "reset";
    if (failure.type === "redirect")
      return { status: failure.status ?? 302, headers: { location: failure.location }, body: Buffer.alloc(0) };
    if (failure.type === "body") {
      const body = typeof failure.body === "string" ? Buffer.from(failure.body) : Buffer.from(failure.body);
      return { status: 200, headers: { "content-type": failure.contentType ?? "application/json" }, body };
    }
  }
  return null;
}

/** A failure that replaces the answer after the endpoint ran. */
export function lateReply(failures: FakeFailure[]): FakeReply | "reset" | null {
  for (const failure of failures) {
    if (failure.type === "status" && failure.afterHandling)
      return errorReply(failure.status, `Injected failure after handling (HTTP ${failure.status})`);
    if (failure.type === "reset" && failure.afterHandling) return "reset";
  }
  return null;
}

/** Writes `reply`, shaped by the delivery failures (truncate, stall, chunked, endless, content type). Resolves once done. */
export async function deliver(
  res: ServerResponse,
  reply: FakeReply,
  failures: FakeFailure[],
  onWrite: (bytes: number) => void,
): Promise<void> {
  const has = <T extends FakeFailure["type"]>(type: T) => failures.find((f): f is Extract<FakeFailure, { type: T }> => f.type === type);
  const headers = { ...reply.headers };
  const contentType = has("content-type");
  if (contentType) headers["content-type"] = contentType.contentType;
  const streamed = has("chunked") ?? has("endless");
  if (!streamed) headers["content-length"] = String(reply.body.length);
  let closed = false;
  res.once("close", () => (closed = true));
  res.writeHead(reply.status, headers);
  const write = async (chunk: Buffer) => {
    if (closed || res.destroyed || chunk.length === 0) return;
    onWrite(chunk.length);
    if (!res.write(chunk) && !closed) await drainedOrClosed(res);
  };
  const half = reply.body.subarray(0, Math.floor(reply.body.length / 2));
  if (has("truncate")) {
    await write(half);
    // Let the half leave before the connection drops, so the client sees a short body, not a reset.
    await sleep(20);
    res.socket?.destroy();
    return;
  }
  const stall = has("stall-body");
  if (stall) {
    await write(half);
    await sleep(stall.ms);
    await write(reply.body.subarray(half.length));
    res.end();
    return;
  }
  if (has("endless")) {
    await write(reply.body);
    const zeros = Buffer.alloc(64 * 1024);
    while (!closed && !res.destroyed) await write(zeros);
    return;
  }
  // Several writes, so a "chunked" body really arrives in pieces.
  for (let offset = 0; offset < reply.body.length; offset += 256 * 1024) await write(reply.body.subarray(offset, offset + 256 * 1024));
  res.end();
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done).off("close", done);
      resolve();
    };
    res.on("drain", done).on("close", done);
  });
}
