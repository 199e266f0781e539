import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, InvalidImageError, InvalidMatteError, InvalidOptionsError, uprightImage, type RemovalEngine } from "../src/index.ts";
import { evalData } from "@bgr/testing";

const CACHE_DIR = path.resolve(import.meta.dirname, "../../../data/models");
const PHOTO = evalData("dev", "gc-teddy.jpg");

const W = 96,
  H = 64;

async function raw(data: Uint8Array) {
  const { data: pixels, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
  return { pixels, ...info };
}
const channel = (pixels: Uint8Array, channels: number, c: number) => pixels.filter((_, i) => i % channels === c);
/** A mask result's grey values (sharp may hand a grey PNG back as RGB). */
async function maskValues(data: Uint8Array) {
  const out = await raw(data);
  return { ...out, grey: channel(out.pixels, out.channels, 0) };
}
const greyPng = (values: Uint8Array, width: number, height: number) =>
  sharp(values, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();

/** A matte with every value 0..255 and hard and soft edges, so a swapped, flipped or rescaled reading shows. */
function syntheticMatte(width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[y * width + x] = x < width / 3 ? 0 : x < (2 * width) / 3 ? (x * 7 + y * 3) % 256 : 255;
  }
  return out;
}

describe("removeWithMatte", () => {
  let engine: RemovalEngine;
  let photo: Buffer;
  let matte: Uint8Array;

  beforeAll(async () => {
    engine = await createEngine({ cacheDir: CACHE_DIR });
    photo = await sharp(await readFile(PHOTO))
      .resize(W, H, { fit: "fill" })
      .jpeg()
      .toBuffer();
    matte = syntheticMatte(W, H);
  });

  it("uses a grey mask as the alpha, unchanged, and names who made it", async () => {
    const result = await engine.removeWithMatte(photo, await greyPng(matte, W, H), { tier: "basic", result: "mask" }, "test:grey");
    expect((await sharp(result.data).metadata()).channels).toBe(1);
    const out = await maskValues(result.data);
    expect([out.width, out.height]).toEqual([W, H]);
    expect([...out.grey]).toEqual([...matte]);
    expect(result.provider).toBe("test:grey");
    expect(result.timings.inferenceMs).toBe(0);
  });

  it("uses a cut-out's alpha channel, not its colours", async () => {
    // Colours chosen so their luminance is the inverse of the alpha: reading luminance would fail.
    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba.set([255 - matte[i]!, 255 - matte[i]!, 255 - matte[i]!, matte[i]!], i * 4);
    const cutout = await sharp(rgba, { raw: { width: W, height: H, channels: 4 } })
      .png()
      .toBuffer();
    const result = await engine.removeWithMatte(photo, cutout, { tier: "basic" });
    const out = await raw(result.data);
    expect(out.channels).toBe(4);
    expect([...channel(out.pixels, 4, 3)]).toEqual([...matte]);
    expect(result.provider).toBe("external");
  });

  it("reads an RGB mask by its luminance", async () => {
    const rgb = new Uint8Array(W * H * 3);
    for (let i = 0; i < W * H; i++) rgb.fill(matte[i]!, i * 3, i * 3 + 3);
    const mask = await sharp(rgb, { raw: { width: W, height: H, channels: 3 } })
      .png()
      .toBuffer();
    const result = await engine.removeWithMatte(photo, mask, { tier: "basic", result: "mask" });
    expect([...(await maskValues(result.data)).grey]).toEqual([...matte]);
  });

  it("stretches a matte of another size to the photo's", async () => {
    // Left half subject, right half background, at a third of the photo's size and another aspect ratio.
    const w = 32,
      h = 16;
    const small = new Uint8Array(w * h).map((_, i) => (i % w < w / 2 ? 255 : 0));
    const result = await engine.removeWithMatte(photo, await greyPng(small, w, h), { tier: "basic", result: "mask" });
    const out = await maskValues(result.data);
    expect([out.width, out.height]).toEqual([W, H]);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const a = out.grey[y * W + x]!;
        if (x < W / 2 - 4) expect(a).toBe(255);
        else if (x >= W / 2 + 4) expect(a).toBe(0);
      }
    }
  });

  it("keeps the photo's own transparency", async () => {
    const rgba = new Uint8Array(W * H * 4).fill(200);
    for (let i = 0; i < W * H; i++) rgba[i * 4 + 3] = i < (W * H) / 2 ? 0 : 255;
    const transparentTop = await sharp(rgba, { raw: { width: W, height: H, channels: 4 } })
      .png()
      .toBuffer();
    const allSubject = await greyPng(new Uint8Array(W * H).fill(255), W, H);
    const { grey } = await maskValues((await engine.removeWithMatte(transparentTop, allSubject, { tier: "basic", result: "mask" })).data);
    expect(grey.subarray(0, (W * H) / 2).every((a) => a === 0)).toBe(true);
    expect(grey.subarray((W * H) / 2).every((a) => a === 255)).toBe(true);
  });

  it("composes exactly like remove(): given the local matte, the outputs are the same bytes", async () => {
    // Professional decontaminates edges; crop and background colour go through the same tail too.
    const variants = [{}, { background: "#204060", crop: { marginPx: 3 }, format: "jpg" as const }];
    const localMask = (await engine.remove(photo, { tier: "professional", result: "mask" })).data;
    for (const variant of variants) {
      const options = { tier: "professional" as const, ...variant };
      const local = await engine.remove(photo, options);
      const external = await engine.removeWithMatte(photo, localMask, options, "test:local-mask");
      expect(external.data.equals(local.data)).toBe(true);
      expect([external.width, external.height, external.mime]).toEqual([local.width, local.height, local.mime]);
      expect(local.provider).toBe("local:isnet-fp16");
    }
  });

  it("names the tier's local model on remove()", async () => {
    expect((await engine.remove(photo, { tier: "basic", result: "mask" })).provider).toBe("local:isnet-int8-qdq");
  });

  it("refuses an unreadable matte with InvalidMatteError, not as the photo's fault", async () => {
    const png = await greyPng(matte, W, H);
    for (const bad of [new Uint8Array(0), Buffer.from("<html>busy</html>"), png.subarray(0, png.length >> 1)]) {
      await expect(engine.removeWithMatte(photo, bad, { tier: "basic" })).rejects.toBeInstanceOf(InvalidMatteError);
    }
  });

  it("still reports bad photos and options as the caller's errors", async () => {
    const png = await greyPng(matte, W, H);
    await expect(engine.removeWithMatte(Buffer.from("not an image"), png, { tier: "basic" })).rejects.toBeInstanceOf(InvalidImageError);
    await expect(engine.removeWithMatte(photo, png, { tier: "basic", format: "jpg" })).rejects.toBeInstanceOf(InvalidOptionsError);
  });
});

describe("uprightImage", () => {
  it("hands an upright file on untouched", async () => {
    const bytes = await sharp({ create: { width: 30, height: 20, channels: 3, background: "#808080" } })
      .png()
      .toBuffer();
    const engine = await createEngine({ cacheDir: CACHE_DIR });
    const probe = await engine.probe(bytes);
    expect(probe.orientation).toBe(1);
    const upright = await uprightImage(bytes, probe);
    expect(upright.bytes).toBe(bytes);
    expect(upright.mime).toBe("image/png");
  });

  it("applies the EXIF orientation, so another model sees what the engine composes", async () => {
    // Stored 30 wide and 20 high; orientation 6 means "turn 90° clockwise to view".
    const stored = await sharp({ create: { width: 30, height: 20, channels: 3, background: "#808080" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const engine = await createEngine({ cacheDir: CACHE_DIR });
    const probe = await engine.probe(stored);
    expect([probe.orientation, probe.width, probe.height]).toEqual([6, 20, 30]);
    const upright = await uprightImage(stored, probe);
    const meta = await sharp(upright.bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.orientation ?? 1]).toEqual(["jpeg", 20, 30, 1]);
    expect(upright.mime).toBe("image/jpeg");
  });
});
