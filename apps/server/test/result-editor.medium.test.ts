import { readFile } from "node:fs/promises";
import path from "node:path";
import { storageKeys } from "@bgr/core";
import { PLAIN_COMPOSITION, type ComposeRequest } from "@bgr/domain";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";
import { composeForm, decodeRgba, withOwnAlpha } from "./pixels.ts";

// The result editor (#17) against the real server, engine and database: composition from the stored
// original and matte is what remove.bg's API makes for the same options; edited mattes are versions.

let server: TestServer;
let photo: Buffer;
let token: string;
let jobId: string;

beforeAll(async () => {
  server = await startTestServer();
  photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
  token = await server.userWithCredits("editor", 100);
  // The web app's removal: a plain PNG cut-out.
  const response = await fetch(`${server.api}/remove`, {
    method: "POST",
    headers: auth(),
    body: imageForm(photo, { tier: "basic", format: "png" }, "teddy.jpg"),
  });
  expect(response.status).toBe(200);
  jobId = ((await response.json()) as { data: { jobId: string } }).data.jobId;
});
afterAll(async () => {
  await server?.close();
});

function auth(bearer = token) {
  return { authorization: `Bearer ${bearer}` };
}

async function compose(options: ComposeRequest, background?: Buffer, id = jobId, bearer = token) {
  const response = await fetch(`${server.api}/jobs/${id}/compose`, {
    method: "POST",
    headers: auth(bearer),
    body: composeForm(options, background),
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const pixels = decodeRgba;

describe("POST /jobs/:id/compose", () => {
  it("is pixel for pixel what remove.bg's API makes for the same background, shadow and crop", async () => {
    const options: ComposeRequest = {
      background: { kind: "colour", colour: "#336699" },
      shadow: { type: "drop", opacity: 0.6, offset: null },
      crop: { marginPercent: 10 },
      aspect: null,
      format: "png",
      size: "original",
    };
    const edited = await compose(options);
    expect(edited.status).toBe(200);
    expect(edited.headers.get("content-type")).toBe("image/png");
    expect(edited.headers.get("x-matte-version")).toBe("1");

    const key = (await server.runtime.deps.services.apiKeys.create({ userId: "editor", scopes: ["removal"] }, { name: "remove.bg client" }))
      .key;
    const form = imageForm(
      photo,
      {
        bg_color: "336699",
        add_shadow: "true",
        shadow_type: "drop",
        shadow_opacity: "60",
        crop: "true",
        crop_margin: "10%",
        format: "png",
        size: "full",
      },
      "teddy.jpg",
    );
    form.delete("image");
    form.set("image_file", new Blob([new Uint8Array(photo)]), "teddy.jpg");
    const api = await fetch(`${server.url}/v1.0/removebg`, {
      method: "POST",
      headers: { "X-Api-Key": key, "X-Tier": "basic" },
      body: form,
    });
    expect(api.status).toBe(200);
    const ours = await pixels(edited.bytes);
    const theirs = await pixels(Buffer.from(await api.arrayBuffer()));
    expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
    expect(Buffer.compare(ours.data, theirs.data)).toBe(0);
    // The control: another shadow opacity is a different image.
    const other = await pixels((await compose({ ...options, shadow: { type: "drop", opacity: 0.2, offset: null } })).bytes);
    expect(Buffer.compare(other.data, theirs.data)).not.toBe(0);
  });

  it("composes a blurred background at an aspect ratio, an image background, JPG and the preview size", async () => {
    const square = await compose({
      ...PLAIN_COMPOSITION,
      background: { kind: "blur", strength: 40 },
      crop: { marginPercent: 5 },
      aspect: "1:1",
      format: "webp",
    });
    expect(square.headers.get("content-type")).toBe("image/webp");
    const { width, height, alphaAt } = await pixels(square.bytes);
    expect(width).toBe(height);
    expect(alphaAt(0, 0)).toBe(255);

    const yellow = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#ffff00" } })
      .png()
      .toBuffer();
    const onImage = await pixels((await compose({ ...PLAIN_COMPOSITION, background: { kind: "image", fit: "cover" } }, yellow)).bytes);
    expect([...onImage.data.subarray(0, 4)]).toEqual([255, 255, 0, 255]);

    const jpg = await compose({ ...PLAIN_COMPOSITION, format: "jpg", size: "preview" });
    expect(jpg.headers.get("content-type")).toBe("image/jpeg");
    const preview = await sharp(jpg.bytes).metadata();
    expect(preview.width! * preview.height!).toBeLessThanOrEqual(250_000);
  });

  it("says what to send for bad options, a missing background image, and another user's job", async () => {
    const bad = await fetch(`${server.api}/jobs/${jobId}/compose`, {
      method: "POST",
      headers: auth(),
      body: composeForm({ ...PLAIN_COMPOSITION, background: { kind: "blur", strength: 500 } }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/background.strength.*Send the field "options" as JSON/);
    const noImage = await compose({ ...PLAIN_COMPOSITION, background: { kind: "image", fit: "cover" } });
    expect(noImage.status).toBe(400);
    expect(JSON.parse(noImage.bytes.toString()).error.message).toMatch(/send it as the file "background"/);
    const stranger = await compose(PLAIN_COMPOSITION, undefined, jobId, await server.userWithCredits("stranger", 0));
    expect(stranger.status).toBe(404);
  });
});

describe("a transparent original", () => {
  it("keeps its own alpha once: the plain composition is the removal's result, and a colour background is remove.bg's", async () => {
    const teddy = await withOwnAlpha(photo);
    const removed = await fetch(`${server.api}/remove`, {
      method: "POST",
      headers: auth(),
      body: imageForm(teddy.png, { tier: "basic", format: "png" }, "teddy.png"),
    });
    expect(removed.status).toBe(200);
    const id = ((await removed.json()) as any).data.jobId as string;
    const { processedUrl } = ((await (await fetch(`${server.api}/jobs/${id}/links`, { headers: auth() })).json()) as any).data;
    const result = await pixels(Buffer.from(await (await fetch(new URL(processedUrl, server.url))).arrayBuffer()));

    const plain = await compose(PLAIN_COMPOSITION, undefined, id);
    expect(plain.status).toBe(200);
    const composed = await pixels(plain.bytes);
    expect([composed.width, composed.height]).toEqual([teddy.width, teddy.height]);
    expect(Buffer.compare(composed.data, result.data)).toBe(0);

    // Where the model saw the subject whole, the composed alpha is the original's: 128 in the
    // half-transparent third (not 64, its square), 0 in the transparent band, and never above it.
    // Its colour there is the photo's own, not the photo mixed with the white the model saw.
    const colours = await pixels(photo);
    let halfSubject = 0;
    let washedOut = 0;
    for (let y = 0; y < teddy.height; y++) {
      for (let x = 0; x < teddy.width; x++) {
        const own = teddy.sourceAlpha(x, y);
        const alpha = composed.alphaAt(x, y);
        expect(alpha).toBeLessThanOrEqual(own);
        if (own !== 128 || alpha === 0) continue;
        if (alpha >= 120) halfSubject++;
        const i = (y * teddy.width + x) * 4;
        if (Buffer.compare(composed.data.subarray(i, i + 3), colours.data.subarray(i, i + 3)) !== 0) washedOut++;
      }
    }
    expect(halfSubject).toBeGreaterThan(1000);
    expect(washedOut).toBe(0);

    // A colour background through the editor and through remove.bg's API, pixel for pixel.
    const key = (await server.runtime.deps.services.apiKeys.create({ userId: "editor", scopes: ["removal"] }, { name: "transparent" })).key;
    const form = new FormData();
    form.set("image_file", new Blob([new Uint8Array(teddy.png)]), "teddy.png");
    for (const [name, value] of Object.entries({ bg_color: "336699", format: "png", size: "full" })) form.set(name, value);
    const api = await fetch(`${server.url}/v1.0/removebg`, {
      method: "POST",
      headers: { "X-Api-Key": key, "X-Tier": "basic" },
      body: form,
    });
    expect(api.status).toBe(200);
    const theirs = await pixels(Buffer.from(await api.arrayBuffer()));
    const ours = await pixels(
      (await compose({ ...PLAIN_COMPOSITION, background: { kind: "colour", colour: "#336699" } }, undefined, id)).bytes,
    );
    expect(Buffer.compare(ours.data, theirs.data)).toBe(0);
  });
});

describe("edited mattes", () => {
  it("saves an erased matte as version 2, keeps version 1, and composes from the latest", async () => {
    const matte = await fetch(`${server.api}/jobs/${jobId}/matte`, { headers: auth() });
    expect(matte.headers.get("x-matte-version")).toBe("1");
    const original = await pixels(Buffer.from(await matte.arrayBuffer()));
    // Erase the left half: alpha 0 there, the rest as it was.
    const erased = Buffer.from(original.data);
    for (let y = 0; y < original.height; y++) for (let x = 0; x < original.width / 2; x++) erased[(y * original.width + x) * 4 + 3] = 0;
    const form = new FormData();
    form.set(
      "matte",
      new Blob([
        new Uint8Array(
          await sharp(erased, { raw: { width: original.width, height: original.height, channels: 4 } })
            .png()
            .toBuffer(),
        ),
      ]),
      "matte.png",
    );
    const saved = await fetch(`${server.api}/jobs/${jobId}/mattes`, { method: "POST", headers: auth(), body: form });
    expect(saved.status).toBe(201);
    expect(((await saved.json()) as any).data).toMatchObject({ version: 2, edited: true });

    const versions = ((await (await fetch(`${server.api}/jobs/${jobId}/versions`, { headers: auth() })).json()) as any).data;
    expect(versions.map((v: { version: number; edited: boolean }) => [v.version, v.edited])).toEqual([
      [1, false],
      [2, true],
    ]);

    const composed = await compose(PLAIN_COMPOSITION);
    expect(composed.headers.get("x-matte-version")).toBe("2");
    const after = await pixels(composed.bytes);
    let leftVisible = 0,
      rightVisible = 0;
    for (let y = 0; y < after.height; y++) {
      for (let x = 0; x < after.width; x++) {
        if (after.alphaAt(x, y) === 0) continue;
        if (x < after.width / 2) leftVisible++;
        else rightVisible++;
      }
    }
    expect(leftVisible).toBe(0);
    expect(rightVisible).toBeGreaterThan(1000);

    // The removal's own result is untouched: its link still serves the full cut-out.
    const { processedUrl } = ((await (await fetch(`${server.api}/jobs/${jobId}/links`, { headers: auth() })).json()) as any).data;
    const kept = await pixels(Buffer.from(await (await fetch(new URL(processedUrl, server.url))).arrayBuffer()));
    expect(Buffer.compare(kept.data, original.data)).toBe(0);
  });

  it("refuses a matte of another size and a result made with a layout, saying what to do", async () => {
    const form = new FormData();
    form.set(
      "matte",
      new Blob([
        new Uint8Array(
          await sharp({ create: { width: 10, height: 10, channels: 4, background: "#00000000" } })
            .png()
            .toBuffer(),
        ),
      ]),
      "matte.png",
    );
    const wrong = await fetch(`${server.api}/jobs/${jobId}/mattes`, { method: "POST", headers: auth(), body: form });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as any).error.message).toMatch(/10 x 10 px but the photo is \d+ x \d+ px\. Save it again from the editor/);

    const cropped = await fetch(`${server.api}/remove`, {
      method: "POST",
      headers: auth(),
      body: imageForm(photo, { tier: "basic", format: "png", crop: "true" }),
    });
    const croppedId = ((await cropped.json()) as any).data.jobId;
    const refused = await compose(PLAIN_COMPOSITION, undefined, croppedId);
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.bytes.toString()).error.message).toMatch(
      /cropped .* Remove the background of the photo again in the web app/,
    );
  });

  it("deletes edited mattes with the result when retention sweeps it, and then says the files are gone", async () => {
    const { storage, services } = server.runtime.deps;
    const edited = storageKeys.matteVersion("editor", jobId, 2);
    expect(await storage.size(edited)).not.toBeNull();
    await services.retention.sweep(new Date(Date.now() + 3650 * 24 * 3600 * 1000));
    expect(await storage.size(edited)).toBeNull();
    const gone = await compose(PLAIN_COMPOSITION);
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.bytes.toString()).error.message).toMatch(/deleted on .* Upload the image again/);
  });
});
