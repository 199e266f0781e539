import { PrivateAddressError } from "@bgr/integrations";
import { Agent, request } from "undici";
import type { CallbackGuard } from "./callback-url.ts";

/** What became of one POST: sent (2xx), or refused for good (no retry could change the answer). */
export type CallbackOutcome = { sent: true; status: number } | { sent: false; reason: string };

const CONNECT_TIMEOUT_MS = 5_000;
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * The one HTTP client of callbacks. Every POST passes the guard again (rows written before the guard
 * existed, a policy tightened since) and connects through the guard's DNS check, so the address
 * checked is the address used. Redirects are never followed. A refusal is final and not retried;
 * a receiver's 5xx or a network failure throws, so the queue retries with backoff.
 */
export class CallbackSender {
  private readonly agent: Agent;

  constructor(private readonly guard: CallbackGuard) {
    this.agent = new Agent({
      connect: { timeout: CONNECT_TIMEOUT_MS, lookup: guard.lookup() },
      headersTimeout: ANSWER_TIMEOUT_MS,
      bodyTimeout: ANSWER_TIMEOUT_MS,
      connections: 8,
    });
  }

  async post(target: string, body: string, headers: Record<string, string>): Promise<CallbackOutcome> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return { sent: false, reason: `"${target}" is not a URL` };
    }
    const refusal = this.guard.refusal(url);
    if (refusal) return { sent: false, reason: refusal };
    let answer: Awaited<ReturnType<typeof request>>;
    try {
      // undici's request follows no redirects unless told to.
      answer = await request(url, {
        dispatcher: this.agent,
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    } catch (error) {
      const blocked = privateAddressIn(error);
      if (blocked) return { sent: false, reason: blocked.message };
      throw error;
    }
    await answer.body.dump().catch(() => undefined);
    if (answer.statusCode >= 300 && answer.statusCode < 400)
      return {
        sent: false,
        reason: `${url.origin} answered a redirect (HTTP ${answer.statusCode}), and callbacks do not follow redirects`,
      };
    if (answer.statusCode < 200 || answer.statusCode > 299)
      throw new Error(`Callback ${url.origin}${url.pathname} answered ${answer.statusCode}.`);
    return { sent: true, status: answer.statusCode };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function privateAddressIn(error: unknown): PrivateAddressError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof PrivateAddressError) return e;
  }
  return undefined;
}
