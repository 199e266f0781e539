import type { Dispatcher } from "undici";

type Body = Dispatcher.ResponseData["body"];

/**
 * Reads a response body up to `cap` bytes, streaming: a larger body is dropped as soon as it passes the
 * cap (null), so a hostile or broken service can never make us buffer more than cap + one chunk.
 * Errors of the stream itself (timeouts, a cut connection) are thrown as they come.
 */
export async function readCapped(body: Body, cap: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > cap) {
      discard(body);
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Drops an unread body and its connection; undici reports the abort as an error nobody needs. */
export function discard(body: Body): void {
  body.on("error", () => undefined);
  body.destroy();
}

/**
 * Exponential backoff with equal jitter: attempt n (1-based) waits between ½ and 1 × min(max, base·2^(n-1)),
 * so retries from many requests do not arrive in step.
 */
export function backoff(baseMs: number, attempt: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}
