import { discard, readCapped } from "@bgr/http";
import { Agent, request, type Dispatcher } from "undici";
import { guardedLookup, isPublicAddress, parseIp, PrivateAddressError, type Resolver } from "./address-guard.ts";
import { IMAGE_MIME_TYPES, settingsList, sniffImageFormat } from "@bgr/domain";
import { z } from "zod";
import { DEFAULT_MAX_IMAGE_BYTES } from "./lumiku-apps.config.ts";

/** Host names an operator lets user-given image URLs reach although they resolve to private addresses. */
export const imageUrlSettingsSchema = z.object({
  /** Comma-separated host names; none by default. */
  IMAGE_URL_PRIVATE_HOSTS: z.string().default("").transform(settingsList),
});

export interface PublicImageFetcherConfig {
  maxBytes?: number;
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /** Trusted host names (e.g. an intranet asset server), exempt from the public-address rule. Empty by default. */
  privateHosts?: string[];
}

export type ImageUrlErrorKind = "invalid-url" | "refused" | "unreachable" | "timeout" | "status" | "too-large" | "not-an-image";

/** Why an image URL gave no image; the message is for the user who sent the URL. */
export class ImageUrlError extends Error {
  override readonly name = "ImageUrlError";
  constructor(
    readonly kind: ImageUrlErrorKind,
    message: string,
  ) {
    super(message);
  }
}

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
const USER_AGENT = "background-remover-pro (image_url)";

/**
 * Downloads an image from a URL a user gave: http(s) only, public addresses only (checked on the
 * very addresses connected to, and on every redirect), streamed under a size cap, timeouts on
 * connect, headers and body, and the bytes must be an image by their magic bytes. One attempt: the
 * user can retry, and a slow host should not hold a request open for several.
 */
export class PublicImageFetcher {
  private readonly agent: Agent;
  private readonly maxBytes: number;
  private readonly privateHosts: Set<string>;

  constructor(config: PublicImageFetcherConfig = {}, resolve?: Resolver) {
    this.maxBytes = config.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
    this.privateHosts = new Set((config.privateHosts ?? []).map((h) => h.toLowerCase()));
    this.agent = new Agent({
      connect: { timeout: config.timeouts?.connectMs ?? 5_000, lookup: guardedLookup(this.privateHosts, resolve) },
      headersTimeout: config.timeouts?.headersMs ?? 15_000,
      bodyTimeout: config.timeouts?.bodyMs ?? 15_000,
      connections: 8,
    });
  }

  async fetch(address: string): Promise<{ bytes: Buffer; contentType: string }> {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new ImageUrlError("invalid-url", `"${truncate(address)}" is not a URL. Send an absolute http(s) address of an image.`);
    }
    for (let hop = 0; ; hop++) {
      this.assertAllowed(url);
      const response = await this.get(url);
      if (!REDIRECT_STATUSES.has(response.statusCode)) return this.readImage(url, response);
      discard(response.body);
      const location = response.headers.location;
      if (hop >= MAX_REDIRECTS)
        throw new ImageUrlError("refused", `${url.host} redirected more than ${MAX_REDIRECTS} times. Send the image's final address.`);
      if (typeof location !== "string" || !location)
        throw new ImageUrlError("status", `${url.host} answered with a redirect but no location (HTTP ${response.statusCode}).`);
      url = new URL(location, url);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  private assertAllowed(url: URL): void {
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new ImageUrlError("invalid-url", `Only http(s) image URLs are fetched, not ${url.protocol}.`);
    if (url.username || url.password)
      throw new ImageUrlError("invalid-url", "Image URLs with credentials in them are not fetched. Send a URL without user:password@.");
    const host = url.hostname.toLowerCase();
    if (parseIp(host) && !isPublicAddress(host) && !this.privateHosts.has(host)) {
      throw new ImageUrlError(
        "refused",
        `${url.hostname} is a private or reserved network address; only images on public hosts are fetched.`,
      );
    }
  }

  private async get(url: URL): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, { dispatcher: this.agent, method: "GET", headers: { accept: "image/*", "user-agent": USER_AGENT } });
    } catch (error) {
      const cause = causeChain(error);
      const privateAddress = cause.find((e) => e instanceof PrivateAddressError);
      if (privateAddress)
        throw new ImageUrlError(
          "refused",
          `${url.hostname} resolves to a private or reserved network address; only images on public hosts are fetched.`,
        );
      if (cause.some((e) => TIMEOUT_CODES.has(String((e as { code?: unknown }).code))))
        throw new ImageUrlError("timeout", `${url.host} took too long to answer. Try again, or upload the file instead.`);
      throw new ImageUrlError("unreachable", `${url.host} could not be reached. Check the URL, or upload the file instead.`);
    }
  }

  private async readImage(url: URL, response: Dispatcher.ResponseData): Promise<{ bytes: Buffer; contentType: string }> {
    if (response.statusCode < 200 || response.statusCode > 299) {
      discard(response.body);
      throw new ImageUrlError(
        "status",
        `${url.host} answered HTTP ${response.statusCode} for the image URL. Check that the image is publicly reachable.`,
      );
    }
    const declared = response.headers["content-length"] === undefined ? undefined : Number(response.headers["content-length"]);
    const tooLarge = () =>
      new ImageUrlError(
        "too-large",
        `The image at the URL is larger than ${Math.round(this.maxBytes / 1024 / 1024)} MB. Send a smaller image.`,
      );
    if (declared !== undefined && declared > this.maxBytes) {
      discard(response.body);
      throw tooLarge();
    }
    let bytes: Buffer | null;
    try {
      bytes = await readCapped(response.body, this.maxBytes);
    } catch (error) {
      const timedOut = causeChain(error).some((e) => TIMEOUT_CODES.has(String((e as { code?: unknown }).code)));
      throw new ImageUrlError(
        timedOut ? "timeout" : "unreachable",
        `The image at ${url.host} ${timedOut ? "took too long to arrive" : "arrived incomplete"}. Try again, or upload the file instead.`,
      );
    }
    if (!bytes) throw tooLarge();
    const format = sniffImageFormat(bytes);
    if (!format) throw new ImageUrlError("not-an-image", `The file at the URL is not a PNG, JPEG, WebP, GIF, AVIF/HEIF or TIFF image.`);
    return { bytes, contentType: IMAGE_MIME_TYPES[format] };
  }
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
