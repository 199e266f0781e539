import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import sharp from "sharp";
import { Response } from "undici";
import { IMAGE_MIME_TYPES, SIBLING_APPS, sniffImageFormat, type ProjectApp, type SiblingApp } from "@bgr/domain";
import { deliver, errorReply, jsonReply, lateReply, preemptingReply, type FakeFailure, type FakeReply } from "./fake-failures.ts";
import { ownerFromBearerJwt } from "../test-images.ts";

export interface FakeLumikuAppsOptions {
  /** Who sent a request, from its Authorization header; null → 401. Default: the unverified `sub` of a `Bearer <JWT>`. */
  ownerOf?: (authorization: string | undefined) => string | null;
  /** Interface to listen on. Default 127.0.0.1 (the port is random). */
  host?: string;
}

/** An image a fake app holds. */
export interface FakeImage {
  id: string;
  /** Omitted: the JSON leaves `name` out, as the contract allows. */
  name?: string;
  bytes: Uint8Array;
  /** Content-Type of the file. Default: from its magic bytes (application/octet-stream when none match). */
  contentType?: string;
  /** carousel-mix only. Default: the image's index in the project. */
  position?: number;
  /** How the JSON writes `imageUrl` for the file the fake serves: `<base>/files/<n>` (default), `files/<n>`, `/<app>/files/<n>`. */
  urlStyle?: "absolute" | "relative" | "root-relative";
  /** Advertise this `imageUrl` verbatim instead (another host, a private address, a `file:` URL…). The file is still served at `path`. */
  imageUrl?: string;
  /** Injected when the file is downloaded. */
  failures?: FakeFailure[];
  /** Serve the file to anyone, without a token (as a CDN would). Default: its owner only. */
  public?: boolean;
}

/** An image once registered: where the fake serves it. */
export interface RegisteredImage {
  app: SiblingApp;
  id: string;
  owner: string;
  /** The file's path on the fake, e.g. `/avatar-creator/files/3` — a target for `inject`. */
  path: string;
  /** The file's absolute URL. */
  url: string;
  /** What the JSON advertises as `imageUrl`. */
  imageUrl: string;
}

export interface FakeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  app: SiblingApp | null;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  /** Body bytes the fake wrote so far (grows while an answer streams). */
  bytesSent: number;
  /** True once the answer ended or its connection closed. */
  closed: boolean;
}

interface StoredImage extends RegisteredImage {
  image: FakeImage;
  name: string | undefined;
}

interface Project {
  app: ProjectApp;
  id: string;
  owner: string;
  images: StoredImage[];
}

interface Injection {
  target: string | RegExp;
  failure: FakeFailure;
  remaining: number;
}

/**
 * The four sibling Lumiku apps on one local HTTP server, implementing the contracts of
 * docs/integrations.md: app `a` lives under `/<a>` (see `baseUrls`), its files under `/<a>/files/<n>`.
 * Ownership: a project or image is visible only to its owner; other users get 404, no token 401.
 */
export class FakeLumikuApps {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Base URL of each app, for LumikuAppsConfig.baseUrls. */
  readonly baseUrls: Record<SiblingApp, string>;
  /** Every request received, in order. */
  readonly requests: FakeRequest[] = [];

  private readonly projects = new Map<string, Project>();
  private readonly singles = new Map<string, StoredImage>();
  private readonly files = new Map<string, StoredImage>();
  private readonly injections: Injection[] = [];
  /** Use counters of the failures registered with images. */
  private readonly ownCounters = new Map<FakeFailure, Injection>();
  private readonly upscales = new Map<string, Promise<FakeReply>>();
  private charged = 0;
  private nextFile = 1;
  private readonly ownerOf: (authorization: string | undefined) => string | null;

  private constructor(
    private readonly server: Server,
    origin: string,
    options: FakeLumikuAppsOptions,
  ) {
    this.origin = origin;
    this.baseUrls = Object.fromEntries(SIBLING_APPS.map((app) => [app, `${origin}/${app}`])) as Record<SiblingApp, string>;
    this.ownerOf = options.ownerOf ?? ownerFromBearerJwt;
  }

  static async start(options: FakeLumikuAppsOptions = {}): Promise<FakeLumikuApps> {
    const server = createServer((req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end(`fake crashed: ${String(error)}`);
        else res.destroy();
      });
    });
    server.listen(0, options.host ?? "127.0.0.1");
    await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
    const { address, port } = server.address() as AddressInfo;
    const fake = new FakeLumikuApps(server, `http://${address.includes(":") ? `[${address}]` : address}:${port}`, options);
    return fake;
  }

  /** Paths of the contract endpoints, as targets for `inject` and `requestsTo`. */
  readonly paths = {
    project: (app: ProjectApp, projectId: string) =>
      `/${app}/projects/${encodeURIComponent(projectId)}/${app === "avatar-creator" ? "avatars" : "slides"}`,
    generation: (generatedImageId: string) => `/pose-generator/generations/${encodeURIComponent(generatedImageId)}`,
    upscalerImage: (imageId: string) => `/image-upscaler/images/${encodeURIComponent(imageId)}`,
    upscale: "/image-upscaler/upscale",
  };

  /** An avatar-creator or carousel-mix project of `owner` with its images (in this order unless `position` says otherwise). */
  addProject(app: ProjectApp, project: { id: string; owner: string; images: FakeImage[] }): RegisteredImage[] {
    const images = project.images.map((image, index) => this.store(app, project.owner, { position: index, ...image }));
    this.projects.set(`${app}/${project.id}`, { app, id: project.id, owner: project.owner, images });
    return images.map(registered);
  }

  /** A pose-generator generation (`GET /generations/{id}`) of `owner`. */
  addGeneratedImage(owner: string, image: FakeImage): RegisteredImage {
    const stored = this.store("pose-generator", owner, image);
    this.singles.set(`pose-generator/${image.id}`, stored);
    return registered(stored);
  }

  /** An image-upscaler image (`GET /images/{id}`) of `owner`. */
  addUpscalerImage(owner: string, image: FakeImage): RegisteredImage {
    const stored = this.store("image-upscaler", owner, image);
    this.singles.set(`image-upscaler/${image.id}`, stored);
    return registered(stored);
  }

  /** Injects failures into requests whose path equals `target` (or matches it). Earlier injections apply first. */
  inject(target: string | RegExp, ...failures: FakeFailure[]): void {
    for (const failure of failures) this.injections.push({ target, failure, remaining: failure.times ?? Infinity });
  }

  clearFailures(): void {
    this.injections.length = 0;
  }

  /** Requests whose path equals `target` (or matches it). */
  requestsTo(target: string | RegExp): FakeRequest[] {
    return this.requests.filter((r) => matches(target, r.path));
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Upscales performed and charged (a replayed Idempotency-Key is not counted again). */
  get upscaleCount(): number {
    return this.charged;
  }

  /** Open client connections (keep-alive ones included). */
  openConnections(): Promise<number> {
    return new Promise((resolve, reject) => this.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private store(app: SiblingApp, owner: string, image: FakeImage): StoredImage {
    const path = `/${app}/files/${this.nextFile++}`;
    const url = `${this.origin}${path}`;
    const style = image.urlStyle ?? "absolute";
    const imageUrl = image.imageUrl ?? (style === "absolute" ? url : style === "relative" ? path.slice(`/${app}/`.length) : path);
    const stored: StoredImage = { app, id: image.id, owner, path, url, imageUrl, image, name: image.name };
    this.files.set(path, stored);
    return stored;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const first = path.split("/")[1] ?? "";
    const entry: FakeRequest = {
      method: req.method ?? "GET",
      path,
      app: (SIBLING_APPS as readonly string[]).includes(first) ? (first as SiblingApp) : null,
      authorization: req.headers.authorization,
      idempotencyKey: header(req, "idempotency-key"),
      bytesSent: 0,
      closed: false,
    };
    this.requests.push(entry);
    res.once("close", () => (entry.closed = true));
    const body = await readBody(req);

    const failures = this.activeFailures(path);
    for (const failure of failures) if (failure.type === "delay") await sleep(failure.ms);
    const early = preemptingReply(failures);
    let reply = early ?? (await this.route(req.method ?? "GET", path, req, body));
    const late = early ? null : lateReply(failures);
    if (late) reply = late;
    if (reply === "reset") {
      req.socket.destroy();
      return;
    }
    await deliver(res, reply, failures, (bytes) => (entry.bytesSent += bytes));
  }

  /** Failures for this request: injected on its path, then the file's own; each use counts against `times`. */
  private activeFailures(path: string): FakeFailure[] {
    const own = this.files.get(path)?.image.failures ?? [];
    const ownInjections = own.map((failure) => this.ownInjection(path, failure));
    const all = [...this.injections.filter((i) => matches(i.target, path)), ...ownInjections];
    return all.filter((i) => i.remaining > 0).map((i) => (i.remaining--, i.failure));
  }

  private ownInjection(path: string, failure: FakeFailure): Injection {
    let injection = this.ownCounters.get(failure);
    if (!injection) this.ownCounters.set(failure, (injection = { target: path, failure, remaining: failure.times ?? Infinity }));
    return injection;
  }

  private async route(method: string, path: string, req: IncomingMessage, body: Buffer): Promise<FakeReply | "reset"> {
    const segments = path.split("/").slice(1).map(decodeURIComponent);
    const [app, resource, id, sub] = segments;
    if (method === "GET" && resource === "files") return this.file(path, req);
    const owner = this.ownerOf(req.headers.authorization);
    if (owner === null) return errorReply(401, "Sign in: missing or invalid token");
    if (method === "GET" && resource === "projects" && segments.length === 4 && (app === "avatar-creator" || app === "carousel-mix")) {
      const project = this.projects.get(`${app}/${id}`);
      if (!project || project.owner !== owner || sub !== (app === "avatar-creator" ? "avatars" : "slides"))
        return errorReply(404, "Project not found");
      const key = app === "avatar-creator" ? "avatars" : "slides";
      const items = project.images.map((image) => ({
        ...describe(image),
        ...(app === "carousel-mix" ? { position: image.image.position } : {}),
      }));
      return jsonReply(200, { success: true, data: { projectId: project.id, [key]: items } });
    }
    if (
      method === "GET" &&
      segments.length === 3 &&
      ((app === "pose-generator" && resource === "generations") || (app === "image-upscaler" && resource === "images"))
    ) {
      const single = this.singles.get(`${app}/${id}`);
      if (!single || single.owner !== owner) return errorReply(404, "Image not found");
      return jsonReply(200, { success: true, data: describe(single) });
    }
    if (method === "POST" && path === this.paths.upscale) return this.upscale(owner, req, body);
    return errorReply(404, `No route ${method} ${path}`);
  }

  private file(path: string, req: IncomingMessage): FakeReply {
    const stored = this.files.get(path);
    if (!stored || (!stored.image.public && this.ownerOf(req.headers.authorization) !== stored.owner))
      return errorReply(404, "File not found");
    const format = sniffImageFormat(stored.image.bytes);
    const contentType = stored.image.contentType ?? (format ? IMAGE_MIME_TYPES[format] : "application/octet-stream");
    return { status: 200, headers: { "content-type": contentType }, body: Buffer.from(stored.image.bytes) };
  }

  /** A real upscale (sharp), idempotent per (user, Idempotency-Key): a replay answers the first result and is not charged again. */
  private async upscale(owner: string, req: IncomingMessage, body: Buffer): Promise<FakeReply> {
    const key = header(req, "idempotency-key");
    if (!key) return errorReply(400, "Idempotency-Key header is required");
    const slot = `${owner}\n${key}`;
    const known = this.upscales.get(slot);
    if (known) return { ...(await known), status: 200 };
    const work = this.performUpscale(owner, header(req, "content-type") ?? "", body);
    this.upscales.set(slot, work);
    const reply = await work;
    // A refused request is not remembered: the client may fix it and retry with the same key.
    if (reply.status >= 400) this.upscales.delete(slot);
    return reply;
  }

  private async performUpscale(owner: string, contentType: string, body: Buffer): Promise<FakeReply> {
    let form: Awaited<ReturnType<Response["formData"]>>;
    try {
      form = await new Response(body, { headers: { "content-type": contentType } }).formData();
    } catch {
      return errorReply(400, "Expected multipart/form-data");
    }
    const file = form.get("image");
    const factor = Number(form.get("factor"));
    if (typeof file === "string" || file === null) return errorReply(400, "The image file is missing");
    if (factor !== 2 && factor !== 4) return errorReply(400, "factor must be 2 or 4");
    const input = Buffer.from(await file.arrayBuffer());
    let output: Buffer;
    let width: number;
    let height: number;
    try {
      const metadata = await sharp(input).metadata();
      width = metadata.width * factor;
      height = metadata.height * factor;
      output = await sharp(input).resize(width, height).png().toBuffer();
    } catch {
      return errorReply(400, "The image could not be decoded");
    }
    this.charged++;
    const id = `upscaled-${this.nextFile}`;
    const stem = (file.name || "image").replace(/\.[^.]*$/, "");
    const stored = this.store("image-upscaler", owner, { id, name: `${stem}@${factor}x.png`, bytes: output });
    this.singles.set(`image-upscaler/${id}`, stored);
    return jsonReply(201, { success: true, data: { ...describe(stored), width, height } });
  }
}

/** Starts the fake sibling apps on a random local port. Close it when done. */
export function startFakeLumikuApps(options?: FakeLumikuAppsOptions): Promise<FakeLumikuApps> {
  return FakeLumikuApps.start(options);
}

function describe(image: StoredImage): { id: string; name?: string; imageUrl: string } {
  return { id: image.id, ...(image.name === undefined ? {} : { name: image.name }), imageUrl: image.imageUrl };
}

function registered(stored: StoredImage): RegisteredImage {
  const { app, id, owner, path, url, imageUrl } = stored;
  return { app, id, owner, path, url, imageUrl };
}

function matches(target: string | RegExp, path: string): boolean {
  return typeof target === "string" ? target === path : target.test(path);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
