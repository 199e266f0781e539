import { readFile } from "node:fs/promises";
import path from "node:path";
import { storageKeys } from "@bgr/core";
import { users } from "@bgr/db";
import { priceBatch, type BatchOptions } from "@bgr/domain";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzip } from "@bgr/testing";
import { DEV_DATA, startTestServer, type TestServer } from "./harness.ts";
import { decodeRgba } from "./pixels.ts";

// Batch options (#17): a background, a crop and a format chosen when the batch starts, applied by the
// worker to every item with the same composition a single removal gets, at the same price.

let server: TestServer;
let photo: Buffer;
/** 40 x 30, yellow: a background image whose presence is plain in the pixels. */
let yellow: Buffer;

beforeAll(async () => {
  server = await startTestServer({ RUN_WORKER: "true", BATCH_RATE_LIMIT_PER_HOUR: "100" });
  photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
  yellow = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#ffff00" } })
    .png()
    .toBuffer();
});
afterAll(async () => {
  await server?.close();
});

function batchForm(fields: Record<string, string>, background?: Buffer) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  if (background) form.set("background", new Blob([new Uint8Array(background)]), "yellow.png");
  form.append("images", new Blob([new Uint8Array(photo)]), "teddy.jpg");
  form.append("images", new Blob([new Uint8Array(photo)]), "bear.jpeg");
  return form;
}

async function api(token: string, route: string, init: RequestInit = {}) {
  const response = await fetch(`${server.api}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as any) : null };
}

async function waitForZip(token: string, batchId: string) {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const { body } = await api(token, `/batch/${batchId}`);
    if (body.data.zipUrl) return body.data;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} stuck: ${JSON.stringify(body.data.progress)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function balance(userId: string): Promise<number> {
  const [user] = await server.database.db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  return user!.balance;
}

describe("POST /batch with options", () => {
  it("composes every item on the background image, cropped, as JPG, exactly as remove.bg's API does, at the plain price", async () => {
    const token = await server.userWithCredits("batch-options", 100);
    const options: BatchOptions = { background: { kind: "image", fit: "cover" }, crop: { marginPercent: 10 }, format: "jpg" };
    const created = await api(token, "/batch", {
      method: "POST",
      body: batchForm({ tier: "basic", options: JSON.stringify(options) }, yellow),
    });
    expect(created.status).toBe(201);
    expect(created.body.data.pricing).toMatchObject({ finalTotal: priceBatch("basic", 2).finalTotal });
    const done = await waitForZip(token, created.body.data.batchId);
    expect(done).toMatchObject({ status: "completed", progress: { processedImages: 2, failedImages: 0 } });

    const zip = await fetch(`${server.api}/batch/${done.batchId}/download`, { headers: { authorization: `Bearer ${token}` } });
    const entries = await unzip(Buffer.from(await zip.arrayBuffer()));
    expect(Object.keys(entries).sort()).toEqual(["removed-bear.jpg", "removed-teddy.jpg"]);

    // The same photo through remove.bg's API with the same background, crop and format.
    const key = (await server.runtime.deps.services.apiKeys.create({ userId: "batch-options", scopes: ["removal"] }, { name: "compare" }))
      .key;
    const form = new FormData();
    form.set("image_file", new Blob([new Uint8Array(photo)]), "teddy.jpg");
    form.set("bg_image_file", new Blob([new Uint8Array(yellow)]), "yellow.png");
    for (const [name, value] of Object.entries({ crop: "true", crop_margin: "10%", format: "jpg", size: "full" })) form.set(name, value);
    const single = await fetch(`${server.url}/v1.0/removebg`, {
      method: "POST",
      headers: { "X-Api-Key": key, "X-Tier": "basic" },
      body: form,
    });
    expect(single.status).toBe(200);
    const theirs = await decodeRgba(Buffer.from(await single.arrayBuffer()));
    for (const name of ["removed-teddy.jpg", "removed-bear.jpg"]) {
      expect((await sharp(entries[name]!).metadata()).format).toBe("jpeg");
      const ours = await decodeRgba(entries[name]!);
      expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
      expect(Buffer.compare(ours.data, theirs.data)).toBe(0);
    }
    // The crop made it smaller than the photo, and the corner shows the yellow background.
    const { width, height } = await sharp(photo).metadata();
    const teddy = await decodeRgba(entries["removed-teddy.jpg"]!);
    expect(teddy.width * teddy.height).toBeLessThan(width! * height!);
    const [r, g, b] = teddy.data.subarray(0, 3);
    expect(r).toBeGreaterThan(240);
    expect(g).toBeGreaterThan(240);
    expect(b).toBeLessThan(30);

    // Each item says its format, and the background image is gone once the ZIP is made.
    for (const item of done.items) expect((await api(token, `/jobs/${item.jobId}`)).body.data.metadata.format).toBe("jpg");
    expect(await server.runtime.deps.storage.size(storageKeys.batchBackground("batch-options", done.batchId))).toBeNull();
  });

  it("makes WebP on a colour, and transparent PNGs without options", async () => {
    const token = await server.userWithCredits("batch-colour", 100);
    const coloured = await api(token, "/batch", {
      method: "POST",
      body: batchForm({ tier: "basic", options: JSON.stringify({ background: { kind: "colour", colour: "#336699" }, format: "webp" }) }),
    });
    expect(coloured.status).toBe(201);
    const plain = await api(token, "/batch", { method: "POST", body: batchForm({ tier: "basic" }) });
    expect(plain.status).toBe(201);

    const [colourDone, plainDone] = [await waitForZip(token, coloured.body.data.batchId), await waitForZip(token, plain.body.data.batchId)];
    const download = async (id: string) =>
      unzip(
        Buffer.from(
          await (await fetch(`${server.api}/batch/${id}/download`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer(),
        ),
      );
    const webp = await download(colourDone.batchId);
    expect(Object.keys(webp).sort()).toEqual(["removed-bear.webp", "removed-teddy.webp"]);
    const onColour = await sharp(webp["removed-teddy.webp"]!).metadata();
    expect(onColour.format).toBe("webp");
    const colourPixels = await decodeRgba(webp["removed-teddy.webp"]!);
    expect(colourPixels.alphaAt(0, 0)).toBe(255);

    const pngs = await download(plainDone.batchId);
    expect(Object.keys(pngs).sort()).toEqual(["removed-bear.png", "removed-teddy.png"]);
    const cutout = await decodeRgba(pngs["removed-teddy.png"]!);
    expect(cutout.alphaAt(0, 0)).toBe(0);
  });

  it.each([
    ["an unknown format", { options: JSON.stringify({ format: "gif" }) }, false, /format/],
    ["a colour that is not one", { options: JSON.stringify({ background: { kind: "colour", colour: "purple-ish" } }) }, false, /colour/i],
    ["options that are not JSON", { options: "{background:" }, false, /not valid JSON/],
    [
      "an image background without the image",
      { options: JSON.stringify({ background: { kind: "image", fit: "cover" } }) },
      false,
      /file "background"/,
    ],
    ["an image without an image background", { options: JSON.stringify({ format: "png" }) }, true, /do not ask for it/],
    ["a crop margin over 50 %", { options: JSON.stringify({ crop: { marginPercent: 80 } }) }, false, /crop.marginPercent/],
  ])("refuses %s with 400 INVALID_OPTIONS and charges nothing", async (_, fields, withImage, message) => {
    const userId = `batch-bad-${Math.random().toString(36).slice(2, 8)}`;
    const token = await server.userWithCredits(userId, 50);
    const refused = await api(token, "/batch", {
      method: "POST",
      body: batchForm({ tier: "basic", ...fields }, withImage ? yellow : undefined),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("INVALID_OPTIONS");
    expect(refused.body.error.message).toMatch(message);
    expect(await balance(userId)).toBe(50);
  });

  it("refuses a background file that is not an image, naming it, and charges nothing", async () => {
    const token = await server.userWithCredits("batch-bad-background", 50);
    const options = JSON.stringify({ background: { kind: "image", fit: "contain" } });
    const refused = await api(token, "/batch", {
      method: "POST",
      body: batchForm({ tier: "basic", options }, Buffer.from("certainly not a picture")),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("INVALID_OPTIONS");
    expect(refused.body.error.message).toMatch(/^Background image: /);
    expect(await balance("batch-bad-background")).toBe(50);
  });
});
