import zlib from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { encodeImage, encodePixels } from "../src/image/encode.ts";
import { encodePng } from "../src/image/png-encoder.ts";
import { randomPlane } from "./support/random.ts";

type Channels = 1 | 2 | 3 | 4;

/**
 * A cut-out-like image: smooth colour with noise (a photo), and for alpha a transparent background around an
 * opaque disc with a soft rim, so every filter sees flat, graded and noisy rows.
 */
function cutout(width: number, height: number, channels: Channels, seed: number): Uint8Array {
  const noise = randomPlane(width * height * channels, seed);
  const pixels = new Uint8Array(width * height * channels);
  const radius = Math.min(width, height) / 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) pixels[i + c] = ((x * (c + 1) + y * 3) % 256) * 0.8 + noise[i + c]! * 50;
      if (channels === 2 || channels === 4) {
        const distance = Math.hypot(x - width / 2, y - height / 2);
        pixels[i + channels - 1] = Math.max(0, Math.min(255, (radius - distance) * 32 + 128));
      }
    }
  }
  return pixels;
}

/**
 * The PNG's pixels decoded by sharp, with grey and alpha widened to RGBA: sharp's raw output is sRGB unless
 * greyscale is asked for, and asked for greyscale it drops the alpha.
 */
async function decode(png: Buffer) {
  const meta = await sharp(png).metadata();
  const image = meta.channels === 1 ? sharp(png).toColourspace("b-w") : sharp(png);
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), meta, info };
}

/** Grey and alpha as sharp decodes it (RGBA); other pixels as they are. */
function asDecoded(pixels: Uint8Array, channels: Channels): Uint8Array {
  if (channels !== 2) return pixels;
  const rgba = new Uint8Array(pixels.length * 2);
  for (let i = 0; i < pixels.length / 2; i++) rgba.set([pixels[i * 2]!, pixels[i * 2]!, pixels[i * 2]!, pixels[i * 2 + 1]!], i * 4);
  return rgba;
}

/** The chunks, each CRC checked, and the IDAT stream inflated by zlib (which checks its Adler-32). */
function parse(png: Buffer) {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const types: string[] = [];
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    expect(png.readUInt32BE(at + 8 + length), `${type} CRC`).toBe(zlib.crc32(png.subarray(at + 4, at + 8 + length)));
    types.push(type);
    if (type === "IDAT") idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return { types, inflated: zlib.inflateSync(Buffer.concat(idat)) };
}

describe("encodePng", () => {
  const cases: Array<[string, number, number, Channels]> = [
    ["RGBA, more strips than are in flight", 2000, 1400, 4],
    ["RGB, odd size", 37, 23, 3],
    ["grey, odd size", 101, 57, 1],
    ["grey and alpha", 64, 48, 2],
    ["1x1 RGBA", 1, 1, 4],
    ["1x1 grey", 1, 1, 1],
    ["tall", 1, 3000, 4],
    ["wide, each row longer than a strip", 600_000, 3, 4],
  ];
  for (const [name, width, height, channels] of cases) {
    it(`round-trips ${name} (${width}x${height}x${channels}) to identical pixels`, async () => {
      const pixels = cutout(width, height, channels, width + height);
      const png = await encodePng(pixels, width, height, channels);
      const { types, inflated } = parse(png);
      expect(types).toEqual(["IHDR", "IDAT", "IEND"]);
      // One filter-type byte per row, then the row.
      expect(inflated.length).toBe(height * (width * channels + 1));
      const { pixels: decoded, meta } = await decode(png);
      expect([meta.format, meta.width, meta.height, meta.channels, meta.depth]).toEqual(["png", width, height, channels, "uchar"]);
      expect(Buffer.compare(decoded, asDecoded(pixels, channels))).toBe(0);
    });
  }

  it("is about as small as sharp's adaptive level 3 on a cut-out", async () => {
    const [width, height] = [800, 600];
    const pixels = cutout(width, height, 4, 7);
    const ours = await encodePng(pixels, width, height, 4);
    const sharps = await sharp(pixels, { raw: { width, height, channels: 4 } })
      .png({ compressionLevel: 3, adaptiveFiltering: true })
      .toBuffer();
    expect(ours.length / sharps.length).toBeLessThan(1.1);
  });

  it("refuses pixels that do not match the size", async () => {
    await expect(encodePng(new Uint8Array(11), 2, 2, 3)).rejects.toThrow(RangeError);
  });
});

describe("PNG output", () => {
  const [width, height] = [97, 61];

  it("encodePixels keeps a grey mask 1-channel and RGBA 4-channel", async () => {
    for (const channels of [1, 3, 4] as const) {
      const pixels = cutout(width, height, channels, channels);
      const { pixels: decoded, meta } = await decode(await encodePixels(pixels, width, height, channels, "png"));
      expect([meta.channels, meta.space]).toEqual([channels, channels === 1 ? "b-w" : "srgb"]);
      expect(Buffer.compare(decoded, pixels)).toBe(0);
    }
  });

  it("encodePixels crops a region to exactly its pixels", async () => {
    const pixels = cutout(width, height, 4, 3);
    const region = { x: 10, y: 5, width: 31, height: 17 };
    const { pixels: decoded, meta } = await decode(await encodePixels(pixels, width, height, 4, "png", region));
    expect([meta.width, meta.height]).toEqual([region.width, region.height]);
    const expected = await sharp(pixels, { raw: { width, height, channels: 4 } })
      .extract({ left: region.x, top: region.y, width: region.width, height: region.height })
      .raw()
      .toBuffer();
    expect(Buffer.compare(decoded, expected)).toBe(0);
  });

  it("encodeImage writes a sharp pipeline's pixels and channels", async () => {
    const pixels = cutout(width, height, 4, 5);
    const image = () => sharp(pixels, { raw: { width, height, channels: 4 } });
    const rgb = await decode(await encodeImage(image().removeAlpha(), "png"));
    expect(rgb.meta.channels).toBe(3);
    expect(Buffer.compare(rgb.pixels, await image().removeAlpha().raw().toBuffer())).toBe(0);
    const grey = await decode(await encodeImage(image().extractChannel(3).toColourspace("b-w"), "png"));
    expect([grey.meta.channels, grey.meta.space]).toEqual([1, "b-w"]);
    expect(Buffer.compare(grey.pixels, await image().extractChannel(3).raw().toBuffer())).toBe(0);
  });
});
