import { setTimeout as sleep } from "node:timers/promises";
import { backoff, discard, readCapped } from "@bgr/http";
import { Agent, request, type Dispatcher } from "undici";
import { guardedLookup, isPublicAddress, parseIp, PrivateAddressError, type Resolver } from "./address-guard.ts";
import { IMAGE_MIME_TYPES, SIBLING_APPS, sniffImageFormat, type SiblingApp } from "@bgr/domain";
import { MAX_JSON_BYTES, type ResolvedConfig } from "./lumiku-apps.config.ts";
import { SiblingAppError } from "./sibling-app.error.ts";
import { MEDIA_HOSTS_ENV_VAR, SIBLING_APP_INFO } from "./sibling-apps.ts";
import { siblingMessage } from "./sibling-contracts.ts";

const MAX_REDIRECTS = 3;
const MAX_BACKOFF_MS = 5_000;
const MAX_ERROR_BODY_BYTES = 16 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
const USER_AGENT = "background-remover-pro (+lumiku)";

/** What a call is about, for messages: `what` completes "X has no …" / "… for …", `image` names a downloaded file. */
export interface CallContext {
  app: SiblingApp;
  /** e.g. `project "p-1"`, `generated image "g-7"`. */
  what: string;
  /** Set when downloading one image: errors then name it and are about that file. */
  image?: string;
}

/**
 * A failure worth another attempt: a 5xx, a timeout, a dropped connection, a body cut short.
 * Only leaves this module as a SiblingAppError, once attempts are spent.
 */
class Transient extends Error {
  constructor(
    readonly reason: "status" | "timeout" | "connection" | "truncated",
    readonly status?: number,
  ) {
    super(reason);
  }
}

interface Refusal {
  reason: string;
  /** True when adding the host to LUMIKU_MEDIA_HOSTS would allow it. */
  listable: boolean;
}

interface Exchange {
  method: "GET" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  authorization: string;
}

interface Answer {
  statusCode: number;
  headers: Dispatcher.ResponseData["headers"];
  body: Dispatcher.ResponseData["body"];
  url: URL;
}

/**
 * The one place that talks HTTP to sibling apps: a pooled undici Agent with connect/headers/body
 * timeouts, retries with backoff, capped bodies, and the SSRF guard (allowed origins, redirects
 * followed by hand, private addresses refused at DNS time).
 */
export class SiblingHttp {
  private readonly agent: Agent;
  private readonly siblingOrigins: Set<string>;
  private readonly trustedHostnames: Set<string>;

  constructor(
    private readonly config: ResolvedConfig,
    resolve?: Resolver,
  ) {
    const urls = SIBLING_APPS.flatMap((app) => config.baseUrls[app] ?? []);
    this.siblingOrigins = new Set(urls.map((u) => u.origin));
    // Trust goes by host name, as the DNS check only sees names: a media host on a sibling's host is trusted too.
    this.trustedHostnames = new Set(urls.map((u) => u.hostname.toLowerCase()));
    this.agent = new Agent({
      connect: { timeout: config.connectMs, lookup: guardedLookup(this.trustedHostnames, resolve) },
      headersTimeout: config.headersMs,
      bodyTimeout: config.bodyMs,
      connections: 16,
      keepAliveTimeout: 4_000,
    });
  }

  /** GET (or POST, with `post`) an endpoint and return its parsed JSON. */
  async json(
    context: CallContext,
    url: URL,
    authorization: string,
    post?: { body: Buffer; headers: Record<string, string> },
  ): Promise<unknown> {
    const exchange: Exchange = {
      method: post ? "POST" : "GET",
      url,
      headers: { accept: "application/json", ...post?.headers },
      authorization,
      ...(post ? { body: post.body } : {}),
    };
    return this.withRetries(context, async () => {
      const answer = await this.send(exchange, context);
      if (answer.statusCode < 200 || answer.statusCode > 299) throw await this.statusFailure(answer, context);
      const text = await readAnswer(answer, MAX_JSON_BYTES);
      if (text === "too-large") throw this.badResponse(context, `its answer is larger than ${megabytes(MAX_JSON_BYTES)}`);
      try {
        return JSON.parse(text.toString("utf8")) as unknown;
      } catch {
        throw this.badResponse(context, "its answer is not JSON");
      }
    });
  }

  /** Downloads one image: allowed host, `image/*`, at most `cap` bytes (default maxImageBytes; streamed), known magic bytes. */
  async image(
    context: CallContext & { image: string },
    url: URL,
    authorization: string,
    cap = this.config.maxImageBytes,
  ): Promise<{ bytes: Buffer; contentType: string }> {
    const exchange: Exchange = { method: "GET", url, headers: { accept: "image/*" }, authorization };
    return this.withRetries(context, async () => {
      const answer = await this.send(exchange, context);
      if (answer.statusCode < 200 || answer.statusCode > 299) throw await this.statusFailure(answer, context);
      const declaredType = String(answer.headers["content-type"] ?? "")
        .split(";")[0]!
        .trim()
        .toLowerCase();
      if (!declaredType.startsWith("image/")) {
        discard(answer.body);
        throw this.badImage(context, `is not an image (the server sent ${declaredType ? `"${declaredType}"` : "no content type"}).`);
      }
      const declaredLength = answer.headers["content-length"] === undefined ? undefined : Number(answer.headers["content-length"]);
      const tooLarge = () =>
        this.badImage(context, `is larger than ${megabytes(cap)}, the most this server imports. Export a smaller version and try again.`);
      if (declaredLength !== undefined && declaredLength > cap) {
        discard(answer.body);
        throw tooLarge();
      }
      const bytes = await readAnswer(answer, cap);
      if (bytes === "too-large") throw tooLarge();
      if (declaredLength !== undefined && bytes.length !== declaredLength) throw new Transient("truncated");
      const format = sniffImageFormat(bytes);
      if (!format) throw this.badImage(context, "is not a PNG, JPEG, WebP, GIF, AVIF/HEIF or TIFF image.");
      return { bytes, contentType: IMAGE_MIME_TYPES[format] };
    });
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private async withRetries<T>(context: CallContext, attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof Transient)) throw error;
        if (n >= this.config.attempts) throw this.exhausted(error, context, n);
        await sleep(backoff(this.config.baseDelayMs, n, MAX_BACKOFF_MS));
      }
    }
  }

  /** One request, following up to MAX_REDIRECTS redirects (GET only) whose targets pass the same guard. */
  private async send(exchange: Exchange, context: CallContext): Promise<Answer> {
    let url = exchange.url;
    for (let hop = 0; ; hop++) {
      const refusal = this.refusalFor(url);
      if (refusal) throw this.refused(context, url, refusal, hop > 0);
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          dispatcher: this.agent,
          method: exchange.method,
          headers: this.headersFor(url, exchange),
          ...(exchange.body ? { body: exchange.body } : {}),
        });
      } catch (error) {
        throw this.networkFailure(error, context, url, hop > 0);
      }
      if (!REDIRECT_STATUSES.has(response.statusCode)) return { ...response, url };
      const location = response.headers.location;
      await response.body.dump().catch(() => undefined);
      if (exchange.method !== "GET")
        throw this.badResponse(context, `it answered a ${exchange.method} with a redirect (HTTP ${response.statusCode})`);
      if (typeof location !== "string" || !location)
        throw this.badResponse(context, `it sent a redirect without a location (HTTP ${response.statusCode})`);
      if (hop >= MAX_REDIRECTS)
        throw this.refused(context, url, { reason: `that was more than ${MAX_REDIRECTS} redirects`, listable: false }, true);
      try {
        url = new URL(location, url);
      } catch {
        throw this.badResponse(context, `it redirected to an invalid address`);
      }
    }
  }

  /**
   * Why `url` may not be fetched, or null when it may: sibling origins are trusted as configured;
   * media hosts must be public (names are checked again at DNS time, literals here).
   */
  private refusalFor(url: URL): Refusal | null {
    if (url.protocol !== "http:" && url.protocol !== "https:") return { reason: "only http(s) is fetched", listable: false };
    if (url.username || url.password) return { reason: "addresses with credentials are not fetched", listable: false };
    if (this.siblingOrigins.has(url.origin)) return null;
    const port = url.port ? Number(url.port) : null;
    const mediaHost = this.config.mediaHosts.find((h) => h.hostname === url.hostname && h.port === port);
    if (!mediaHost) return { reason: `${url.host} is neither a Lumiku app nor a configured media host`, listable: true };
    if (parseIp(url.hostname) && !isPublicAddress(url.hostname) && !this.trustedHostnames.has(url.hostname))
      return { reason: `${url.hostname} is a private or reserved network address`, listable: false };
    return null;
  }

  /** The user's token goes to Lumiku apps only, never to a media host (a CDN has no use for it). */
  private headersFor(url: URL, exchange: Exchange): Record<string, string> {
    const headers: Record<string, string> = { "user-agent": USER_AGENT, ...exchange.headers };
    if (this.siblingOrigins.has(url.origin) && exchange.authorization) headers.authorization = exchange.authorization;
    return headers;
  }

  private async statusFailure(answer: Answer, context: CallContext): Promise<Error> {
    const status = answer.statusCode;
    if (status >= 500 && status !== 501) {
      await answer.body.dump().catch(() => undefined);
      return new Transient("status", status);
    }
    const said = await readSiblingMessage(answer);
    const { label } = SIBLING_APP_INFO[context.app];
    const subject = context.image ? `"${context.image}"` : context.what;
    const fail = (kind: SiblingAppError["kind"], message: string) =>
      new SiblingAppError({
        app: context.app,
        kind,
        status,
        message: said ? `${message} (${label} said: "${said}")` : message,
        ...imageOf(context),
      });
    if (status === 404) {
      return fail(
        "not-found",
        context.image
          ? `"${context.image}" is no longer available in ${label} (it may have been deleted). Refresh the list and try again.`
          : `${label} has no ${context.what} for your account. Check the id, and that you are signed in as its owner.`,
      );
    }
    if (status === 401 || status === 403) {
      return fail("forbidden", `${label} did not accept your sign-in for ${subject} (HTTP ${status}). Sign in to Lumiku again and retry.`);
    }
    if (status === 402) return fail("forbidden", `${label} asks for payment for ${subject} (HTTP 402). Check your credits in ${label}.`);
    if (status === 429) return fail("unavailable", `${label} is receiving too many requests right now (HTTP 429). Try again in a minute.`);
    if (context.image) return fail("bad-image", `"${context.image}" could not be downloaded from ${label} (HTTP ${status}).`);
    return fail(
      "bad-response",
      `${label} refused the request for ${context.what} (HTTP ${status}). Tell the administrator: the two apps' versions may not match.`,
    );
  }

  private networkFailure(error: unknown, context: CallContext, url: URL, redirected: boolean): Error {
    const privateAddress = findInChain(error, (e) => e instanceof PrivateAddressError);
    if (privateAddress instanceof PrivateAddressError) {
      const reason = `${privateAddress.hostname} resolves to a private or reserved network address (${privateAddress.address})`;
      return this.refused(context, url, { reason, listable: false }, redirected);
    }
    const code = errorCode(error);
    if (code === "UND_ERR_CLOSED" || code === "UND_ERR_DESTROYED")
      return new Error("LumikuApps was closed: create a new one to talk to the Lumiku apps.", { cause: error });
    if (code === "UND_ERR_INVALID_ARG" || code === undefined) return error instanceof Error ? error : new Error(String(error));
    return new Transient(TIMEOUT_CODES.has(code) ? "timeout" : "connection");
  }

  private exhausted(failure: Transient, context: CallContext, attempts: number): SiblingAppError {
    const { label } = SIBLING_APP_INFO[context.app];
    const tries = `${attempts} attempt${attempts === 1 ? "" : "s"}`;
    const base = { app: context.app, ...imageOf(context), ...(failure.status === undefined ? {} : { status: failure.status }) };
    switch (failure.reason) {
      case "status":
        return new SiblingAppError({
          ...base,
          kind: "unavailable",
          message: `${label} is not working right now (HTTP ${failure.status}, ${tries}). Try again in a few minutes.`,
        });
      case "connection":
        return new SiblingAppError({
          ...base,
          kind: "unavailable",
          message: `${label} could not be reached (${tries}). Try again in a few minutes; if it keeps failing, tell the administrator.`,
        });
      case "timeout":
        return new SiblingAppError({
          ...base,
          kind: "timeout",
          message: `${label} took too long to answer (${tries}). Try again in a few minutes.`,
        });
      case "truncated":
        return context.image
          ? this.badImage(context, `arrived incomplete from ${label} (${tries}). Try again in a few minutes.`)
          : this.badResponse(context, `its answer arrived incomplete (${tries})`);
    }
  }

  private refused(context: CallContext, url: URL, refusal: Refusal, redirected: boolean): SiblingAppError {
    const { label } = SIBLING_APP_INFO[context.app];
    const target = url.origin === "null" ? `a ${url.protocol} address` : url.origin;
    const head = context.image
      ? `"${context.image}" from ${label} was not downloaded`
      : `The request to ${label} for ${context.what} was stopped`;
    const hint = refusal.listable
      ? `If ${url.host} is a legitimate media host, the administrator can add it to ${MEDIA_HOSTS_ENV_VAR}.`
      : `This server never fetches from such addresses; ${label} should serve its images from its own address or a public media host.`;
    return new SiblingAppError({
      app: context.app,
      kind: "refused",
      ...imageOf(context),
      message: `${head}: ${redirected ? "it was redirected to" : "its address is"} ${target}, and ${refusal.reason}. ${hint}`,
    });
  }

  private badResponse(context: CallContext, detail: string): SiblingAppError {
    const { label } = SIBLING_APP_INFO[context.app];
    return new SiblingAppError({
      app: context.app,
      kind: "bad-response",
      ...imageOf(context),
      message: `${label} sent an answer for ${context.what} that this server does not understand: ${detail}. Try again later; if it persists, tell the administrator (the two apps' versions may not match).`,
    });
  }

  private badImage(context: CallContext, detail: string): SiblingAppError {
    return new SiblingAppError({
      app: context.app,
      kind: "bad-image",
      ...imageOf(context),
      message: `"${context.image ?? context.what}" ${detail}`,
    });
  }
}

/** Reads at most `cap` bytes, then stops (keeping nothing past the cap). Body errors become Transient. */
/** The body up to `cap` bytes ("too-large" beyond); a body cut short or stalled is transient. */
async function readAnswer(answer: Answer, cap: number): Promise<Buffer | "too-large"> {
  try {
    return (await readCapped(answer.body, cap)) ?? "too-large";
  } catch (error) {
    throw new Transient(errorCode(error) === "UND_ERR_BODY_TIMEOUT" ? "timeout" : "truncated");
  }
}

/** The sibling's own explanation of a 4xx, best effort. */
async function readSiblingMessage(answer: Answer): Promise<string | undefined> {
  try {
    const body = await readAnswer(answer, MAX_ERROR_BODY_BYTES);
    return body === "too-large" ? undefined : siblingMessage(JSON.parse(body.toString("utf8")));
  } catch {
    return undefined;
  }
}

function imageOf(context: CallContext): { imageName?: string } {
  return context.image === undefined ? {} : { imageName: context.image };
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

function errorCode(error: unknown): string | undefined {
  const found = findInChain(error, (e) => typeof (e as { code?: unknown }).code === "string");
  return found ? (found as { code: string }).code : undefined;
}

function findInChain(error: unknown, test: (e: object) => boolean): object | undefined {
  for (let e: unknown = error, depth = 0; typeof e === "object" && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (test(e)) return e;
  }
  return undefined;
}
