import { randomUUID } from "node:crypto";
import type { Resolver } from "./address-guard.ts";
import { sniffImageFormat, type ProjectApp, type SiblingApp } from "@bgr/domain";
import { resolveConfig, type LumikuAppsConfig, type ResolvedConfig } from "./lumiku-apps.config.ts";
import { SiblingAppError } from "./sibling-app.error.ts";
import { SIBLING_APP_INFO, type SiblingImage, type UpscaledImage } from "./sibling-apps.ts";
import {
  ContractViolation,
  parseProjectImages,
  parseSingleImage,
  parseUpscaledImage,
  safeFileName,
  unwrapEnvelope,
} from "./sibling-contracts.ts";
import { SiblingHttp, type CallContext } from "./sibling-http.ts";

export const UPSCALE_FACTORS = [2, 4] as const;

export interface UpscaleRequest {
  /** A PNG. */
  bytes: Uint8Array;
  fileName: string;
  factor: number;
  /** Same key → same result, charged once: retries (ours and the caller's) reuse it. */
  idempotencyKey: string;
  authorization: string;
}

/**
 * The adapter to the sibling Lumiku apps (contracts in docs/integrations.md). Create one per
 * process and pass it in: it owns a pooled connection agent, released by close(). Every call
 * forwards the caller's Authorization header, so the sibling app decides what the user may see.
 */
export class LumikuApps {
  private readonly config: ResolvedConfig;
  private readonly http: SiblingHttp;
  private closed = false;

  /** `resolve` replaces the system DNS for the private-address check (tests). */
  constructor(config: LumikuAppsConfig, deps: { resolve?: Resolver } = {}) {
    this.config = resolveConfig(config);
    this.http = new SiblingHttp(this.config, deps.resolve);
  }

  isConfigured(app: SiblingApp): boolean {
    return this.config.baseUrls[app] !== undefined;
  }

  /** The images of a project, in the app's order (carousel-mix: by `position`). */
  async projectImages(app: ProjectApp, projectId: string, authorization: string): Promise<SiblingImage[]> {
    const context: CallContext = { app, what: `project "${projectId}"` };
    const base = this.baseUrl(app);
    const suffix = app === "avatar-creator" ? "avatars" : "slides";
    const data = await this.getData(context, this.endpoint(context, base, "projects", projectId, suffix), authorization);
    return this.parse(context, () => parseProjectImages(app, data, base));
  }

  /** A pose-generator generation. */
  async generatedImage(generatedImageId: string, authorization: string): Promise<SiblingImage> {
    const context: CallContext = { app: "pose-generator", what: `generated image "${generatedImageId}"` };
    const base = this.baseUrl("pose-generator");
    const data = await this.getData(context, this.endpoint(context, base, "generations", generatedImageId), authorization);
    return this.parse(context, () => parseSingleImage(data, base));
  }

  /** An image the user has in image-upscaler. */
  async upscalerImage(imageId: string, authorization: string): Promise<SiblingImage> {
    const context: CallContext = { app: "image-upscaler", what: `image "${imageId}"` };
    const base = this.baseUrl("image-upscaler");
    const data = await this.getData(context, this.endpoint(context, base, "images", imageId), authorization);
    return this.parse(context, () => parseSingleImage(data, base));
  }

  /**
   * Asks image-upscaler to upscale a PNG; it charges the user through its own billing. Retried on
   * 5xx and timeouts with the same Idempotency-Key, so a retry never charges twice.
   */
  async upscale(input: UpscaleRequest): Promise<UpscaledImage> {
    if (!(UPSCALE_FACTORS as readonly number[]).includes(input.factor))
      throw new RangeError(`Upscale factor must be 2 or 4, not ${input.factor}.`);
    if (!input.idempotencyKey.trim())
      throw new TypeError("upscale needs an idempotencyKey: reuse the same key when retrying the same upscale.");
    if (sniffImageFormat(input.bytes) !== "png") throw new TypeError("upscale sends PNG images only: encode the image as PNG first.");
    const fileName = safeFileName(input.fileName, "image");
    const context: CallContext = { app: "image-upscaler", what: `the upscale of "${fileName}"` };
    const base = this.baseUrl("image-upscaler");
    const form = multipart([
      { name: "image", fileName, contentType: "image/png", bytes: input.bytes },
      { name: "factor", value: String(input.factor) },
    ]);
    const json = await this.open().json(context, new URL(`${base.href}/upscale`), input.authorization, {
      body: form.body,
      headers: { "content-type": form.contentType, "idempotency-key": input.idempotencyKey },
    });
    const data = this.parse(context, () => unwrapEnvelope(json));
    return this.parse(context, () => parseUpscaledImage(data, base));
  }

  /**
   * Downloads one image: only from a sibling app's origin or a configured media host, at most
   * `options.maxBytes` (default `maxImageBytes`), and only if its bytes are a known image format. `contentType` is the format
   * the bytes announce, not the header's claim.
   */
  async download(
    app: SiblingApp,
    image: SiblingImage,
    authorization: string,
    options: { maxBytes?: number } = {},
  ): Promise<{ bytes: Buffer; contentType: string }> {
    const context = { app, what: `"${image.name}"`, image: image.name };
    this.baseUrl(app); // an unconfigured app is "not-configured" here too, whatever the image's URL

    let url: URL;
    try {
      url = new URL(image.url);
    } catch {
      throw new SiblingAppError({
        app,
        kind: "bad-image",
        imageName: image.name,
        message: `"${image.name}" has no valid address in ${SIBLING_APP_INFO[app].label}.`,
      });
    }
    return this.open().image(context, url, authorization, options.maxBytes);
  }

  /** Closes pooled connections; later calls throw. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.http.close();
  }

  private open(): SiblingHttp {
    if (this.closed) throw new Error("LumikuApps was closed: create a new one to talk to the Lumiku apps.");
    return this.http;
  }

  private baseUrl(app: SiblingApp): URL {
    const base = this.config.baseUrls[app];
    if (base) return base;
    const { label, envVar } = SIBLING_APP_INFO[app];
    throw new SiblingAppError({
      app,
      kind: "not-configured",
      message: `Importing from ${label} is not available on this server: its address is not configured. The administrator can enable it by setting ${envVar}.`,
    });
  }

  /**
   * `<base>/<segments>` with each id as one encoded path segment. "." and ".." would be
   * normalised away by URL parsing (also when percent-encoded), so they cannot name anything.
   */
  private endpoint(context: CallContext, base: URL, ...segments: string[]): URL {
    for (const segment of segments) {
      if (!segment || segment.length > 256 || /^(\.|%2e){1,2}$/i.test(segment)) {
        throw new SiblingAppError({
          app: context.app,
          kind: "not-found",
          message: `${SIBLING_APP_INFO[context.app].label} has no ${context.what}: that id is not valid.`,
        });
      }
    }
    return new URL(`${base.href}/${segments.map(encodeURIComponent).join("/")}`);
  }

  private async getData(context: CallContext, url: URL, authorization: string) {
    const json = await this.open().json(context, url, authorization);
    return this.parse(context, () => unwrapEnvelope(json));
  }

  private parse<T>(context: CallContext, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ContractViolation)) throw error;
      const { label } = SIBLING_APP_INFO[context.app];
      throw new SiblingAppError({
        app: context.app,
        kind: "bad-response",
        message: `${label} sent an answer for ${context.what} that this server does not understand: ${error.message}. Tell the administrator: the two apps' versions may not match.`,
        cause: error,
      });
    }
  }
}

type Part = { name: string; value: string } | { name: string; fileName: string; contentType: string; bytes: Uint8Array };

/** A multipart/form-data body as one buffer, so every retry sends exactly the same bytes. */
function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----bgr-${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const quotedName = part.name.replace(/["\r\n]/g, "_");
    if ("value" in part) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quotedName}"\r\n\r\n${part.value}\r\n`));
    } else {
      const quotedFile = part.fileName.replace(/["\r\n]/g, "_");
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quotedName}"; filename="${quotedFile}"\r\nContent-Type: ${part.contentType}\r\n\r\n`,
        ),
      );
      chunks.push(Buffer.from(part.bytes.buffer, part.bytes.byteOffset, part.bytes.byteLength), Buffer.from("\r\n"));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
