import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "./harness.ts";

/**
 * The unmodified `remove.bg` npm client (a devDependency) against our server. The client hard-codes
 * https://api.remove.bg, so only its network is redirected, in a child process: a preload resolves
 * api.remove.bg to 127.0.0.1 (and maps port 443 when it cannot be bound), and a TLS front with a
 * self-signed certificate for api.remove.bg, trusted through NODE_EXTRA_CA_CERTS, forwards to us.
 */
const run = promisify(execFile);
const CLIENT = createRequire(import.meta.url).resolve("remove.bg");
const PRELOAD = path.join(import.meta.dirname, "removebg-client/preload.cjs");
const RUN_CLIENT = path.join(import.meta.dirname, "removebg-client/run-client.cjs");

let server: TestServer;
let dir: string;
let front: tls.Server;
let frontPort: number;
let imageHost: http.Server;
let imageHostUrl: string;
let photoPath: string;
let photo: Buffer;
let key: string;
let calls = 0;

beforeAll(async () => {
  server = await startTestServer({ IMAGE_URL_PRIVATE_HOSTS: "localhost" });
  dir = await mkdtemp(path.join(os.tmpdir(), "removebg-client-"));
  await run("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=api.remove.bg",
    "-addext",
    "subjectAltName=DNS:api.remove.bg",
    "-keyout",
    path.join(dir, "key.pem"),
    "-out",
    path.join(dir, "cert.pem"),
  ]);
  const upstreamPort = Number(new URL(server.url).port);
  front = tls.createServer(
    { key: await readFile(path.join(dir, "key.pem")), cert: await readFile(path.join(dir, "cert.pem")) },
    (socket) => {
      const upstream = net.connect(upstreamPort, "127.0.0.1");
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    },
  );
  frontPort = await listenOn443OrAny(front);

  photo = await sharp(await readFile(path.join(DEV_DATA, "gc-teddy.jpg")))
    .resize(568, 796)
    .jpeg({ quality: 90 })
    .toBuffer();
  photoPath = path.join(dir, "teddy.jpg");
  await writeFile(photoPath, photo);
  imageHost = http.createServer((req, res) =>
    req.url === "/teddy.jpg" ? res.writeHead(200, { "content-type": "image/jpeg" }).end(photo) : res.writeHead(404).end(),
  );
  await new Promise<void>((resolve) => imageHost.listen(0, "127.0.0.1", resolve));
  imageHostUrl = `http://localhost:${(imageHost.address() as AddressInfo).port}`;
  key = await apiKeyWithCredits("client-user", 100);
});

afterAll(async () => {
  await new Promise((resolve) => front?.close(resolve));
  await new Promise((resolve) => imageHost?.close(resolve));
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Port 443 where this process may bind it (the real setup); otherwise any port, which the preload then maps. */
async function listenOn443OrAny(target: tls.Server): Promise<number> {
  for (const port of [443, 0]) {
    try {
      await new Promise<void>((resolve, reject) => {
        target.once("error", reject);
        target.listen(port, "127.0.0.1", () => (target.off("error", reject), resolve()));
      });
      return (target.address() as AddressInfo).port;
    } catch (error) {
      if (port === 0) throw error;
    }
  }
  throw new Error("unreachable");
}

async function apiKeyWithCredits(userId: string, credits: number): Promise<string> {
  await server.userWithCredits(userId, credits);
  return (await server.runtime.deps.services.apiKeys.create({ userId, scopes: ["removal"] }, { name: "remove.bg npm client" })).key;
}

interface ClientOutcome {
  ok: boolean;
  result?: {
    base64img: string;
    creditsCharged: string;
    detectedType: string;
    resultWidth: string;
    resultHeight: string;
    rateLimit: string;
    rateLimitRemaining: string;
    rateLimitReset: string;
  };
  error?: Array<{ title: string; code: string; detail: string }> | { message: string };
}

/** One call of the client, in a child process whose only change is its network (preload + trusted certificate). */
async function client(call: string, options: Record<string, unknown>): Promise<ClientOutcome> {
  const request = path.join(dir, `call-${++calls}.json`);
  await writeFile(request, JSON.stringify({ client: CLIENT, call, options }));
  const { stdout } = await run(process.execPath, ["--require", PRELOAD, RUN_CLIENT, request], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, "cert.pem"), REMOVEBG_FRONT_PORT: String(frontPort), NODE_OPTIONS: "" },
    // Under the vitest timeout; one removal is seconds on an idle machine, minutes on a crowded one.
    timeout: 280_000,
  });
  return JSON.parse(stdout.trim().split("\n").pop()!) as ClientOutcome;
}

async function balance(userId: string) {
  return (await server.runtime.deps.services.users.account(userId)).creditBalance;
}

/** What every success must show: the image the client decoded matches the headers it read. */
async function checkedImage(outcome: ClientOutcome) {
  expect(outcome.ok, JSON.stringify(outcome.error)).toBe(true);
  const result = outcome.result!;
  const image = Buffer.from(result.base64img, "base64");
  const meta = await sharp(image).metadata();
  expect([Number(result.resultWidth), Number(result.resultHeight)]).toEqual([meta.width, meta.height]);
  // The client sends no tier, so the default tier (standard, 8 credits) serves it.
  expect(result.creditsCharged).toBe("8");
  expect(Number(result.rateLimit)).toBeGreaterThan(0);
  expect(Number(result.rateLimitRemaining)).toBeLessThanOrEqual(Number(result.rateLimit));
  expect(Number(result.rateLimitReset)).toBeGreaterThan(0);
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  return {
    meta,
    result,
    at: (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x + 1) * info.channels)],
  };
}

describe("the unmodified remove.bg npm client", () => {
  it("removes the background of a file (multipart), writing the PNG it was sent", async () => {
    const outputFile = path.join(dir, "out-file.png");
    const before = await balance("client-user");
    const outcome = await client("removeBackgroundFromImageFile", {
      path: photoPath,
      apiKey: key,
      size: "regular",
      type: "person",
      outputFile,
    });
    const { meta, result, at } = await checkedImage(outcome);
    // regular = 0.25 MP.
    expect([meta.format, meta.channels]).toEqual(["png", 4]);
    expect(meta.width! * meta.height!).toBeLessThanOrEqual(250_000);
    expect(at(2, 2)[3]).toBe(0);
    expect(result.detectedType).toBe("person");
    expect((await readFile(outputFile)).equals(Buffer.from(result.base64img, "base64"))).toBe(true);
    expect(await balance("client-user")).toBe(before - 8);
  });

  it("takes base64 with bg_color: an opaque result, so auto gives a JPEG with the colour around the subject", async () => {
    const outcome = await client("removeBackgroundFromImageBase64", {
      base64img: photo.toString("base64"),
      apiKey: key,
      size: "preview",
      bg_color: "#00ff00",
    });
    const { meta, at } = await checkedImage(outcome);
    expect([meta.format, meta.channels]).toEqual(["jpeg", 3]);
    const [r, g, b] = at(2, 2);
    expect([r! < 25, g! > 230, b! < 25]).toEqual([true, true, true]);
  });

  it("fetches an image_url and crops to the subject (size=preview, the client's default)", async () => {
    const outcome = await client("removeBackgroundFromImageUrl", { url: `${imageHostUrl}/teddy.jpg`, apiKey: key, crop: true });
    const { meta } = await checkedImage(outcome);
    expect(meta.width! * meta.height!).toBeLessThanOrEqual(250_000);
    // Cropped: narrower relative to its height than the whole photo would be at the same scale.
    expect(meta.width! / meta.height!).not.toBeCloseTo(568 / 796, 2);
  });

  it("rejects with remove.bg's errors: 402 without credits, and a bad key", async () => {
    const poorKey = await apiKeyWithCredits("client-poor", 2);
    const poor = await client("removeBackgroundFromImageFile", { path: photoPath, apiKey: poorKey });
    expect(poor.ok).toBe(false);
    expect(poor.error).toEqual([expect.objectContaining({ code: "insufficient_credits", title: "Insufficient credits" })]);
    expect(await balance("client-poor")).toBe(2);

    const bad = await client("removeBackgroundFromImageBase64", {
      base64img: photo.toString("base64"),
      apiKey: "bgr_this-key-does-not-exist",
    });
    expect(bad.ok).toBe(false);
    expect(bad.error).toEqual([expect.objectContaining({ code: "auth_failed" })]);
  });
});
