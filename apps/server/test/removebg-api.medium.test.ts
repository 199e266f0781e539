import http from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { backgroundRemovalJobs, newId } from "@bgr/db";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzip } from "@bgr/testing";
import { DEV_DATA, startTestServer, type TestServer } from "./harness.ts";

/**
 * The remove.bg contract (POST /v1.0/removebg, GET /v1.0/account) against the real server, the
 * real engine and the real database: one row per parameter, each checking the image and the headers.
 */
const RATE_LIMIT = 60;
let server: TestServer;
let photo: Buffer;
let imageHost: http.Server;
let imageHostUrl: string;
let background: Buffer;
let key: string;

beforeAll(async () => {
  server = await startTestServer({ IMAGE_URL_PRIVATE_HOSTS: "localhost", SINGLE_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
  // 568x796 (0.45 MP), so that size=preview (0.25 MP) has something to scale down.
  photo = await sharp(await readFile(path.join(DEV_DATA, "gc-teddy.jpg")))
    .resize(568, 796)
    .jpeg({ quality: 90 })
    .toBuffer();
  background = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#ffff00" } })
    .png()
    .toBuffer();
  // A real image host on localhost (trusted through IMAGE_URL_PRIVATE_HOSTS, like an intranet asset server).
  imageHost = http.createServer((req, res) => {
    if (req.url === "/photo.jpg") return res.writeHead(200, { "content-type": "image/jpeg" }).end(photo);
    if (req.url === "/background.png") return res.writeHead(200, { "content-type": "image/png" }).end(background);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imageHost.listen(0, "127.0.0.1", resolve));
  imageHostUrl = `http://localhost:${(imageHost.address() as AddressInfo).port}`;
  key = await apiKeyWithCredits("contract", 1000);
});
afterAll(async () => {
  await new Promise((resolve) => imageHost?.close(resolve));
  await server?.close();
});

async function apiKeyWithCredits(userId: string, credits: number): Promise<string> {
  await server.userWithCredits(userId, credits);
  return (await server.runtime.deps.services.apiKeys.create({ userId, scopes: ["removal"] }, { name: "remove.bg client" })).key;
}

/** The default cut-out, made once, for rows that compare against it. */
let plain: Promise<Reply> | undefined;
function plainCutout(): Promise<Reply> {
  plain ??= removebg({});
  return plain;
}

interface Reply {
  status: number;
  headers: Headers;
  bytes: Buffer;
  json: any;
}

async function removebg(
  fields: Record<string, string>,
  options: { apiKey?: string; headers?: Record<string, string>; file?: Buffer | null; bgFile?: Buffer } = {},
): Promise<Reply> {
  const form = new FormData();
  const file = options.file === undefined ? photo : options.file;
  if (file) form.set("image_file", new Blob([new Uint8Array(file)]), "teddy.jpg");
  if (options.bgFile) form.set("bg_image_file", new Blob([new Uint8Array(options.bgFile)]), "bg.png");
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return send(form, options);
}

async function send(
  body: FormData | string | URLSearchParams,
  options: { apiKey?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const response = await fetch(`${server.url}/v1.0/removebg`, {
    method: "POST",
    headers: { "X-Api-Key": options.apiKey ?? key, "X-Tier": "basic", ...options.headers },
    body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get("content-type")?.includes("json") ? JSON.parse(bytes.toString("utf8")) : null;
  return { status: response.status, headers: response.headers, bytes, json };
}

async function pixels(bytes: Buffer) {
  const meta = await sharp(bytes).metadata();
  const grey = meta.channels === 1;
  const { data, info } = await (grey ? sharp(bytes).toColourspace("b-w") : sharp(bytes)).raw().toBuffer({ resolveWithObject: true });
  return {
    meta,
    info,
    at: (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x + 1) * info.channels)],
    data,
  };
}

function header(reply: Reply, name: string): number {
  return Number(reply.headers.get(name));
}

function foreground(reply: Reply) {
  return {
    x: header(reply, "x-foreground-left"),
    y: header(reply, "x-foreground-top"),
    width: header(reply, "x-foreground-width"),
    height: header(reply, "x-foreground-height"),
  };
}

async function balance(userId: string) {
  return (await server.runtime.deps.services.users.account(userId)).creditBalance;
}

/** Every success shares these: remove.bg's headers, consistent with the image returned. */
async function expectContract(reply: Reply) {
  expect(reply.status, reply.bytes.toString("utf8").slice(0, 300)).toBe(200);
  // A ZIP's size is its alpha.png's.
  const image = reply.headers.get("content-type") === "application/zip" ? (await unzip(reply.bytes))["alpha.png"]! : reply.bytes;
  const meta = await sharp(image).metadata();
  expect([header(reply, "x-width"), header(reply, "x-height")]).toEqual([meta.width, meta.height]);
  const box = foreground(reply);
  expect(box.width).toBeGreaterThan(0);
  expect(box.x + box.width).toBeLessThanOrEqual(meta.width!);
  expect(box.y + box.height).toBeLessThanOrEqual(meta.height!);
  expect(reply.headers.get("x-credits-charged")).toBe("3");
  expect(reply.headers.get("x-tier")).toBe("basic");
  expect(header(reply, "x-ratelimit-limit")).toBe(RATE_LIMIT);
  // At most the limit: a removal slower than the 60 s window (a crowded machine) has left it again.
  expect(header(reply, "x-ratelimit-remaining")).toBeLessThanOrEqual(RATE_LIMIT);
  expect(header(reply, "x-ratelimit-reset")).toBeGreaterThan(Date.now() / 1000 - 1);
  return meta;
}

describe("POST /v1.0/removebg: one row per parameter", () => {
  const rows: Array<[string, Record<string, string>, (reply: Reply) => Promise<void>]> = [
    [
      "no parameters: a transparent PNG at full size",
      {},
      async (reply) => {
        const { meta, at } = await pixels(reply.bytes);
        expect([meta.format, meta.channels, meta.width, meta.height]).toEqual(["png", 4, 568, 796]);
        expect(at(5, 5)[3]).toBe(0);
        const box = foreground(reply);
        expect(at(box.x + Math.floor(box.width / 2), box.y + Math.floor(box.height / 2))[3]).toBe(255);
        expect(reply.headers.get("x-type")).toBe("other");
      },
    ],
    [
      "size=preview: at most 0.25 MP",
      { size: "preview" },
      async (reply) => {
        const meta = await sharp(reply.bytes).metadata();
        expect(meta.width! * meta.height!).toBeLessThanOrEqual(250_000);
        expect(meta.width! * meta.height!).toBeGreaterThan(240_000);
        expect(meta.width! / meta.height!).toBeCloseTo(568 / 796, 2);
      },
    ],
    [
      "format=jpg: JPEG on white",
      { format: "jpg" },
      async (reply) => {
        const { meta, at } = await pixels(reply.bytes);
        expect([meta.format, meta.channels]).toEqual(["jpeg", 3]);
        expect(at(3, 3).every((v) => v > 245)).toBe(true);
      },
    ],
    [
      "format=webp",
      { format: "webp" },
      async (reply) => {
        expect((await sharp(reply.bytes).metadata()).format).toBe("webp");
        expect(reply.headers.get("content-type")).toBe("image/webp");
      },
    ],
    [
      "format=zip: color.jpg and alpha.png",
      { format: "zip" },
      async (reply) => {
        expect(reply.headers.get("content-type")).toBe("application/zip");
        const entries = await unzip(reply.bytes);
        expect(Object.keys(entries).sort()).toEqual(["alpha.png", "color.jpg"]);
        const alpha = await pixels(entries["alpha.png"]!);
        expect([alpha.meta.channels, alpha.meta.width, alpha.at(5, 5)[0]]).toEqual([1, 568, 0]);
        expect((await sharp(entries["color.jpg"]!).metadata()).format).toBe("jpeg");
      },
    ],
    [
      "channels=alpha: the matte as greyscale",
      { channels: "alpha" },
      async (reply) => {
        const { meta, at } = await pixels(reply.bytes);
        const box = foreground(reply);
        expect([meta.format, meta.channels]).toEqual(["png", 1]);
        expect([at(5, 5)[0], at(box.x + Math.floor(box.width / 2), box.y + Math.floor(box.height / 2))[0]]).toEqual([0, 255]);
      },
    ],
    [
      "bg_color: opaque, so auto gives JPEG, with the colour in the corner",
      { bg_color: "00ff00" },
      async (reply) => {
        const { meta, at } = await pixels(reply.bytes);
        expect(meta.format).toBe("jpeg");
        const [r, g, b] = at(3, 3);
        expect([r! < 20, g! > 235, b! < 20]).toEqual([true, true, true]);
      },
    ],
    [
      "bg_image_url: the image fills the canvas behind the subject",
      { bg_image_url: "BG_URL", format: "png" },
      async (reply) => {
        const { meta, at } = await pixels(reply.bytes);
        expect(meta.channels).toBe(3);
        expect(at(3, 3)).toEqual([255, 255, 0]);
      },
    ],
    [
      "crop=true: the canvas is the subject",
      { crop: "true" },
      async (reply) => {
        const box = foreground(reply);
        expect(box).toMatchObject({ x: 0, y: 0 });
        expect([header(reply, "x-width"), header(reply, "x-height")]).toEqual([box.width, box.height]);
        expect(box.width).toBeLessThan(568);
      },
    ],
    [
      "crop_margin=20px: 20 px on each side of the subject",
      { crop: "true", crop_margin: "20px" },
      async (reply) => {
        const box = foreground(reply);
        expect([box.x, box.y]).toEqual([20, 20]);
        expect([header(reply, "x-width"), header(reply, "x-height")]).toEqual([box.width + 40, box.height + 40]);
      },
    ],
    [
      "crop_margin=10%: relative to the subject",
      { crop: "true", crop_margin: "10%" },
      async (reply) => {
        const box = foreground(reply);
        expect(box.x).toBe(Math.round(box.width * 0.1));
        expect(box.y).toBe(Math.round(box.height * 0.1));
      },
    ],
    [
      "scale=50%: the subject's larger relative side is half the canvas, centred",
      { scale: "50%" },
      async (reply) => {
        const box = foreground(reply);
        expect(Math.max(box.width / 568, box.height / 796)).toBeCloseTo(0.5, 1);
        expect(box.x + box.width / 2).toBeCloseTo(284, -1);
        expect(box.y + box.height / 2).toBeCloseTo(398, -1);
      },
    ],
    [
      "position=0% 0% with scale: top left",
      { scale: "50%", position: "0% 0%" },
      async (reply) => {
        expect(foreground(reply)).toMatchObject({ x: 0, y: 0 });
      },
    ],
    [
      "roi around the subject: the same subject",
      { roi: "0% 0% 100% 100%" },
      async (reply) => {
        expect(foreground(reply).width).toBeGreaterThan(100);
      },
    ],
    [
      "add_shadow: a dark, partly opaque shadow appears just outside the subject",
      { add_shadow: "true", shadow_type: "drop", shadow_opacity: "80" },
      async (reply) => {
        const { data, info } = await pixels(reply.bytes);
        const plain = await pixels((await plainCutout()).bytes);
        // More pixels are partly opaque and black than without the shadow.
        const shadowLike = (d: Buffer) => {
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 10 && d[i]! + d[i + 1]! + d[i + 2]! < 30) n++;
          return n;
        };
        expect(info.channels).toBe(4);
        expect(shadowLike(data)).toBeGreaterThan(shadowLike(plain.data) + 500);
      },
    ],
    [
      "semitransparency=false: fewer semi-transparent pixels",
      { semitransparency: "false" },
      async (reply) => {
        const hard = await pixels(reply.bytes);
        const soft = await pixels((await plainCutout()).bytes);
        const partial = (d: Buffer) => {
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i]! > 0 && d[i]! < 255) n++;
          return n;
        };
        expect(partial(hard.data)).toBeLessThan(partial(soft.data));
      },
    ],
    [
      "type=person with type_level=2: echoed in X-Type",
      { type: "person", type_level: "2" },
      async (reply) => {
        expect(reply.headers.get("x-type")).toBe("person");
      },
    ],
  ];

  it.each(rows)("%s", async (_name, fields, check) => {
    const resolved = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === "BG_URL" ? `${imageHostUrl}/background.png` : v]));
    const reply = await removebg(resolved);
    await expectContract(reply);
    await check(reply);
  });

  it("takes bg_image_file from the multipart form", async () => {
    const reply = await removebg({ format: "png" }, { bgFile: background });
    await expectContract(reply);
    expect((await pixels(reply.bytes)).at(3, 3)).toEqual([255, 255, 0]);
  });

  it("takes image_file_b64 as JSON and as a urlencoded form, and image_url; Accept: application/json gives remove.bg's JSON", async () => {
    const b64 = photo.toString("base64");
    const json = await send(JSON.stringify({ image_file_b64: b64, size: "preview" }), {
      headers: { "content-type": "application/json", accept: "application/json" },
    });
    expect(json.status).toBe(200);
    expect(Object.keys(json.json.data).sort()).toEqual([
      "foreground_height",
      "foreground_left",
      "foreground_top",
      "foreground_width",
      "result_b64",
    ]);
    expect(json.json.data.foreground_width).toBe(header(json, "x-foreground-width"));
    const image = Buffer.from(json.json.data.result_b64, "base64");
    expect((await sharp(image).metadata()).width).toBe(header(json, "x-width"));

    const form = await send(new URLSearchParams({ image_file_b64: b64, format: "jpg" }));
    await expectContract(form);
    expect((await sharp(form.bytes).metadata()).format).toBe("jpeg");

    const byUrl = await send(JSON.stringify({ image_url: `${imageHostUrl}/photo.jpg` }), {
      headers: { "content-type": "application/json" },
    });
    await expectContract(byUrl);
    expect((await sharp(byUrl.bytes).metadata()).width).toBe(568);
  });

  it("runs the X-Tier header's tier, else the key's default tier, else standard, each at its price", async () => {
    const before = await balance("contract");
    const standard = await removebg({ size: "preview" }, { headers: { "X-Tier": "" } });
    expect([standard.status, standard.headers.get("x-tier"), standard.headers.get("x-credits-charged")]).toEqual([200, "standard", "8"]);
    expect(await balance("contract")).toBe(before - 8);

    const basicKey = (
      await server.runtime.deps.services.apiKeys.create(
        { userId: "contract", scopes: ["removal"] },
        { name: "basic by default", defaultTier: "basic" },
      )
    ).key;
    const byKey = await removebg({ size: "preview" }, { apiKey: basicKey, headers: { "X-Tier": "" } });
    expect([byKey.status, byKey.headers.get("x-tier"), byKey.headers.get("x-credits-charged")]).toEqual([200, "basic", "3"]);
    const overridden = await removebg({ size: "preview" }, { apiKey: basicKey, headers: { "X-Tier": "standard" } });
    expect([overridden.headers.get("x-tier"), overridden.headers.get("x-credits-charged")]).toEqual(["standard", "8"]);
    expect(await balance("contract")).toBe(before - 8 - 3 - 8);
    await expect(
      server.runtime.deps.services.apiKeys.create({ userId: "contract", scopes: ["removal"] }, { name: "bad", defaultTier: "ultra" }),
    ).rejects.toThrow(/tier/i);
  });
});

describe("POST /v1.0/removebg: errors in remove.bg's shape, nothing charged", () => {
  const invalid: Array<[string, Record<string, string>, string, RegExp]> = [
    ["size", { size: "huge" }, "invalid_parameter", /Unknown size "huge"/],
    ["type", { type: "dog" }, "invalid_parameter", /Unknown type "dog"/],
    ["type_level", { type_level: "9" }, "invalid_parameter", /Unknown type_level/],
    ["format", { format: "gif" }, "invalid_parameter", /Unknown format "gif"/],
    ["roi", { roi: "0 0 10" }, "invalid_parameter", /roi needs four values/],
    ["crop_margin over 50 %", { crop: "true", crop_margin: "60%" }, "invalid_parameter", /at most 50 %/],
    ["crop_margin over 500 px", { crop: "true", crop_margin: "501px" }, "invalid_parameter", /at most 500 px/],
    ["scale", { scale: "5%" }, "invalid_parameter", /Scale must be between 10 % and 100 %/],
    ["position", { position: "left" }, "invalid_parameter", /percentage/],
    ["channels", { channels: "rgb" }, "invalid_parameter", /Unknown channels "rgb"/],
    ["bg_color", { bg_color: "pink" }, "invalid_parameter", /not a colour/],
    ["bg_color with bg_image_url", { bg_color: "fff", bg_image_url: "http://example.com/x.png" }, "invalid_parameter", /not both/],
    ["shadow_type", { add_shadow: "true", shadow_type: "soft" }, "invalid_parameter", /Unknown shadow_type/],
    ["shadow_opacity", { add_shadow: "true", shadow_opacity: "150" }, "invalid_parameter", /Shadow opacity/],
    ["semitransparency", { semitransparency: "maybe" }, "invalid_parameter", /true or false/],
    ["X-Tier", {}, "invalid_parameter", /tier/i],
  ];

  it.each(invalid)("refuses a bad %s with 400 %s", async (name, fields, code, detail) => {
    const before = await balance("contract");
    const reply = await removebg(fields, name === "X-Tier" ? { headers: { "X-Tier": "ultra" } } : {});
    expect(reply.status).toBe(400);
    expect(reply.json.errors).toHaveLength(1);
    expect(reply.json.errors[0]).toMatchObject({ code, title: expect.any(String) });
    expect(reply.json.errors[0].detail).toMatch(detail);
    expect(await balance("contract")).toBe(before);
  });

  it("answers 400 unknown_foreground and refunds when the roi holds no subject", async () => {
    const before = await balance("contract");
    const reply = await removebg({ roi: "0px 0px 20px 20px" });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0]).toMatchObject({ code: "unknown_foreground", title: "Could not identify foreground in image" });
    expect(await balance("contract")).toBe(before);
    const [job] = await server.database.db
      .select()
      .from(backgroundRemovalJobs)
      .where(eq(backgroundRemovalJobs.userId, "contract"))
      .orderBy(backgroundRemovalJobs.createdAt)
      .then((rows) => rows.slice(-1));
    expect(job!.status).toBe("failed");
  });

  it("answers 400 for a missing image, an unreadable one, a private image_url, and too many pixels", async () => {
    const none = await removebg({}, { file: null });
    expect([none.status, none.json.errors[0].code]).toEqual([400, "missing_source"]);
    const notImage = await removebg({}, { file: Buffer.from("hello, not an image") });
    expect([notImage.status, notImage.json.errors[0].code]).toEqual([400, "unknown_format"]);
    const privateUrl = await send(JSON.stringify({ image_url: `http://127.0.0.1:${new URL(imageHostUrl).port}/photo.jpg` }), {
      headers: { "content-type": "application/json" },
    });
    expect([privateUrl.status, privateUrl.json.errors[0].code]).toEqual([400, "failed_to_download"]);
    expect(privateUrl.json.errors[0].detail).toMatch(/private or reserved/);
    // 8000 x 8000 = 64 MP, over the 50 MP limit: refused from the header, before any decoding.
    const huge = await sharp({ create: { width: 8000, height: 8000, channels: 3, background: "#808080" } })
      .jpeg({ quality: 10 })
      .toBuffer();
    const tooBig = await removebg({}, { file: huge });
    expect([tooBig.status, tooBig.json.errors[0].code]).toEqual([400, "resolution_too_high"]);
  });

  it("answers 402 without credits, 403 for a bad or missing key, and 429 with Retry-After over the rate limit", async () => {
    const poorKey = await apiKeyWithCredits("poor", 1);
    const poor = await removebg({}, { apiKey: poorKey });
    expect([poor.status, poor.json.errors[0].code]).toEqual([402, "insufficient_credits"]);
    const bad = await removebg({}, { apiKey: "bgr_not-a-real-key" });
    expect([bad.status, bad.json.errors[0].code]).toEqual([403, "auth_failed"]);
    const anonymous = await fetch(`${server.url}/v1.0/removebg`, { method: "POST" });
    expect(anonymous.status).toBe(403);

    // The limit counts a user's recent single removals; fill this user's window with past jobs.
    const busyKey = await apiKeyWithCredits("busy", 100);
    const db = server.database.db;
    const [template] = await db.select().from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.userId, "contract")).limit(1);
    await db
      .insert(backgroundRemovalJobs)
      .values(Array.from({ length: RATE_LIMIT }, () => ({ ...template!, id: newId("job"), userId: "busy", createdAt: new Date() })));
    const limited = await removebg({}, { apiKey: busyKey });
    expect([limited.status, limited.json.errors[0].code]).toEqual([429, "rate_limit_exceeded"]);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await balance("busy")).toBe(100);
  });
});

describe("GET /v1.0/account", () => {
  it("reports the balance as remove.bg's credits, and no free calls without a plan", async () => {
    const accountKey = await apiKeyWithCredits("account-holder", 42);
    const response = await fetch(`${server.url}/v1.0/account`, { headers: { "X-Api-Key": accountKey } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { attributes: { credits: { total: 42, subscription: 0, payg: 42, enterprise: 0 }, api: { free_calls: 0, sizes: "all" } } },
    });
    const bad = await fetch(`${server.url}/v1.0/account`, { headers: { "X-Api-Key": "bgr_nope" } });
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as any).errors[0].code).toBe("auth_failed");
  });
});

describe("OpenAPI", () => {
  it("describes both routes at the server's root", async () => {
    const document = (await (await fetch(`${server.api}/docs`)).json()) as any;
    for (const route of ["/v1.0/removebg", "/v1.0/account"]) {
      expect(document.paths[route]?.servers, route).toEqual([{ url: "/" }]);
    }
    const post = document.paths["/v1.0/removebg"].post;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["200", "400", "402", "403", "429"]));
    expect(Object.keys(post.responses["200"].headers)).toEqual(
      expect.arrayContaining(["X-Credits-Charged", "X-Foreground-Top", "X-RateLimit-Reset"]),
    );
    expect(Object.keys(post.requestBody.content["multipart/form-data"].schema.properties)).toEqual(
      expect.arrayContaining([
        "image_file",
        "size",
        "type",
        "type_level",
        "format",
        "roi",
        "crop",
        "crop_margin",
        "scale",
        "position",
        "channels",
        "bg_color",
        "bg_image_url",
        "bg_image_file",
        "add_shadow",
        "shadow_type",
        "shadow_opacity",
        "semitransparency",
      ]),
    );
  });
});
