import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { unzip } from "@bgr/testing";
import { InvalidImageError, InvalidOptionsError } from "../src/index.ts";
import { validateLayout, type LayoutOptions } from "../src/compose/layout-options.ts";
import { placeSubject } from "../src/compose/placement.ts";
import { renderLayout } from "../src/compose/render-layout.ts";
import { checkLayoutImages } from "../src/compose/layout-inputs.ts";

/** A 200x100 photo, red everywhere, with an opaque 40x20 subject at (100, 40) and a soft 2 px rim. */
const W = 200,
  H = 100;
const SUBJECT = { x: 100, y: 40, width: 40, height: 20 };
function scene(): { rgb: Uint8Array; alpha: Uint8Array } {
  const rgb = new Uint8Array(W * H * 3);
  const alpha = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) {
    rgb[i * 3] = 200;
    const x = i % W,
      y = Math.floor(i / W);
    if (x >= SUBJECT.x && x < SUBJECT.x + SUBJECT.width && y >= SUBJECT.y && y < SUBJECT.y + SUBJECT.height) {
      rgb.set([10, 20, 240], i * 3);
      alpha[i] = 255;
    }
  }
  return { rgb, alpha };
}

async function render(layout: LayoutOptions) {
  const { rgb, alpha } = scene();
  return renderLayout({ rgb, alpha, width: W, height: H, decontaminate: false, layout: validateLayout(layout) });
}

async function rawOf(data: Buffer) {
  // Greyscale stays one channel only when asked for (sharp's raw output is sRGB otherwise).
  const grey = (await sharp(data).metadata()).channels === 1;
  const { data: pixels, info } = await (grey ? sharp(data).toColourspace("b-w") : sharp(data)).raw().toBuffer({ resolveWithObject: true });
  return {
    pixels,
    info,
    at: (x: number, y: number) => [...pixels.subarray((y * info.width + x) * info.channels, (y * info.width + x + 1) * info.channels)],
  };
}

describe("validateLayout", () => {
  const refuses = (layout: LayoutOptions, message: RegExp) => expect(() => validateLayout(layout)).toThrowError(new RegExp(message.source));

  it("fills in remove.bg's defaults", () => {
    expect(validateLayout({})).toMatchObject({
      format: "auto",
      channels: "rgba",
      position: "original",
      semitransparency: true,
      crop: null,
      scale: null,
    });
    // Scaling without a position centres the subject.
    expect(validateLayout({ scale: 0.5 }).position).toBe("center");
  });

  it.each<[string, LayoutOptions, RegExp]>([
    ["scale below 10 %", { scale: 0.05 }, /Scale must be between 10 % and 100 %/],
    ["scale above 100 %", { scale: 1.5 }, /Scale must be between/],
    ["position outside 0-100 %", { position: { x: 1.2, y: 0 } }, /Position x must be between 0 % and 100 %/],
    ["an unknown position", { position: "left" as never }, /Unknown position "left"/],
    [
      "a margin over 50 %",
      {
        crop: {
          margins: {
            top: { value: 60, unit: "%" },
            right: { value: 0, unit: "px" },
            bottom: { value: 0, unit: "px" },
            left: { value: 0, unit: "px" },
          },
        },
      },
      /at most 50 %/,
    ],
    [
      "a margin over 500 px",
      {
        crop: {
          margins: {
            top: { value: 501, unit: "px" },
            right: { value: 0, unit: "px" },
            bottom: { value: 0, unit: "px" },
            left: { value: 0, unit: "px" },
          },
        },
      },
      /at most 500 px/,
    ],
    [
      "an inverted roi",
      {
        roi: { x1: { value: 50, unit: "px" }, y1: { value: 0, unit: "px" }, x2: { value: 10, unit: "px" }, y2: { value: 10, unit: "px" } },
      },
      /x2 must be greater than its x1/,
    ],
    ["an unknown channel set", { channels: "rgb" as never }, /Unknown channels "rgb"/],
    ["an unknown format", { format: "gif" as never }, /Unknown format "gif"/],
    ["an unknown shadow", { shadow: { type: "soft" as never } }, /Unknown shadow type "soft"/],
    ["a shadow opacity over 100 %", { shadow: { type: "drop", opacity: 2 } }, /Shadow opacity/],
    ["a bad background colour", { background: { colour: "pink" } }, /not a colour/],
  ])("refuses %s", (_name, layout, message) => {
    expect(() => validateLayout(layout)).toThrow(InvalidOptionsError);
    refuses(layout, message);
  });

  it("refuses a background image that is not an image, by its header", async () => {
    await expect(checkLayoutImages({ background: { image: new Uint8Array([1, 2, 3, 4]) } })).rejects.toThrow(
      /Background image: The file is not an image/,
    );
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#00ff00" } })
      .png()
      .toBuffer();
    await expect(checkLayoutImages({ background: { image: png } })).resolves.toBeUndefined();
  });
});

describe("placeSubject", () => {
  const base = { crop: null, aspect: null, scale: null, position: "original" as const };

  it("keeps the subject where it was by default", () => {
    expect(placeSubject(SUBJECT, W, H, base)).toEqual({ canvas: { width: W, height: H }, source: SUBJECT, target: SUBJECT });
  });

  it("crops to the subject plus margins, capped at half the subject's side", () => {
    const px = (value: number) => ({ value, unit: "px" as const });
    const placed = placeSubject(SUBJECT, W, H, {
      ...base,
      crop: { top: px(5), right: px(30), bottom: { value: 50, unit: "%" }, left: px(0) },
    });
    // right: 30 px asked, 20 px allowed (half of 40); bottom: 50 % of 20 = 10.
    expect(placed.canvas).toEqual({ width: 40 + 20, height: 20 + 5 + 10 });
    expect(placed.target).toEqual({ x: 0, y: 5, width: 40, height: 20 });
  });

  it("scales relative to the canvas and centres, or puts the subject at x/y percentages", () => {
    // 50 % of the canvas: the limiting side is the height (100 / 20 = 5 vs 200 / 40 = 5), so 100x50.
    expect(placeSubject(SUBJECT, W, H, { ...base, scale: 0.5, position: "center" }).target).toEqual({
      x: 50,
      y: 25,
      width: 100,
      height: 50,
    });
    expect(placeSubject(SUBJECT, W, H, { ...base, position: { x: 0, y: 1 } }).target).toEqual({ x: 0, y: 80, width: 40, height: 20 });
  });
});

describe("renderLayout", () => {
  it("gives a transparent PNG at the source size with the subject's box by default", async () => {
    const result = await render({});
    expect([result.format, result.width, result.height]).toEqual(["png", W, H]);
    expect(result.foreground).toEqual(SUBJECT);
    const { at, info } = await rawOf(result.data);
    expect(info.channels).toBe(4);
    expect(at(110, 50)).toEqual([10, 20, 240, 255]);
    expect(at(5, 5)[3]).toBe(0);
  });

  it("picks JPEG for an opaque result (a background colour) in auto, and the colour shows around the subject", async () => {
    const result = await render({ background: { colour: "#00ff00" } });
    expect(result.format).toBe("jpg");
    const { at } = await rawOf(result.data);
    const corner = at(5, 5);
    expect(corner[1]).toBeGreaterThan(240);
    expect(corner[0]).toBeLessThan(15);
    expect(at(120, 50)[2]).toBeGreaterThan(220);
  });

  it("lays a background image under the subject, resized to cover the canvas", async () => {
    const image = await sharp({ create: { width: 30, height: 90, channels: 3, background: "#ffff00" } })
      .png()
      .toBuffer();
    const result = await render({ background: { image }, format: "png" });
    const { at, info } = await rawOf(result.data);
    expect([info.width, info.height, info.channels]).toEqual([W, H, 3]);
    expect(at(5, 5)).toEqual([255, 255, 0]);
    expect(at(120, 50)).toEqual([10, 20, 240]);
  });

  it("crops, scales and positions, reporting where the subject landed", async () => {
    const cropped = await render({
      crop: {
        margins: {
          top: { value: 10, unit: "px" },
          right: { value: 10, unit: "px" },
          bottom: { value: 10, unit: "px" },
          left: { value: 10, unit: "px" },
        },
      },
    });
    expect([cropped.width, cropped.height, cropped.foreground]).toEqual([60, 40, { x: 10, y: 10, width: 40, height: 20 }]);
    const scaled = await render({ scale: 0.5 });
    expect(scaled.foreground).toEqual({ x: 50, y: 25, width: 100, height: 50 });
    const { at } = await rawOf(scaled.data);
    expect(at(100, 50)).toEqual([10, 20, 240, 255]);
    expect(at(45, 50)[3]).toBe(0);
  });

  it("clears the matte outside the roi, and fails with no_foreground when nothing is left and a subject is required", async () => {
    const roi = {
      x1: { value: 0, unit: "px" as const },
      y1: { value: 0, unit: "px" as const },
      x2: { value: 45, unit: "%" as const },
      y2: { value: 100, unit: "%" as const },
    };
    const cleared = await render({ roi });
    expect(cleared.foreground).toBeNull();
    const error = await render({ roi, requireForeground: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidImageError);
    expect((error as InvalidImageError).reason).toBe("no_foreground");
    // The control: the same requirement passes with the subject inside the roi.
    await expect(render({ requireForeground: true })).resolves.toMatchObject({ foreground: SUBJECT });
  });

  it("returns the matte alone as a greyscale PNG with channels=alpha", async () => {
    const result = await render({ channels: "alpha", background: { colour: "#00ff00" } });
    const { at, info } = await rawOf(result.data);
    expect([result.format, info.channels]).toEqual(["png", 1]);
    expect([at(110, 50), at(5, 5)]).toEqual([[255], [0]]);
  });

  it("synthesises a drop shadow from the matte below and right of the subject, not above", async () => {
    const result = await render({ shadow: { type: "drop", opacity: 1 }, format: "png" });
    const { at } = await rawOf(result.data);
    // Just below the subject the shadow is dark and partly opaque; far above it there is none.
    const below = at(SUBJECT.x + 20, SUBJECT.y + SUBJECT.height);
    expect(below[3]).toBeGreaterThan(40);
    expect(below.slice(0, 3)).toEqual([0, 0, 0]);
    expect(at(110, 20)[3]).toBe(0);
    // A car's contact shadow lies on the ground just under it; a 3D shadow is cast to the right, rising from the ground line.
    const car = await rawOf((await render({ shadow: { type: "car", opacity: 1 }, format: "png" })).data);
    expect(car.at(SUBJECT.x + 20, SUBJECT.y + SUBJECT.height)[3]).toBeGreaterThan(20);
    expect(car.at(SUBJECT.x + 20, SUBJECT.y + SUBJECT.height + 6)[3]).toBe(0);
    const cast = await rawOf((await render({ shadow: { type: "3d", opacity: 1 }, format: "png" })).data);
    expect(cast.at(SUBJECT.x + SUBJECT.width + 4, SUBJECT.y + SUBJECT.height - 6)[3]).toBeGreaterThan(20);
    expect(cast.at(SUBJECT.x - 4, SUBJECT.y + SUBJECT.height - 6)[3]).toBe(0);
  });

  it("scales the canvas down to the size limit, the foreground box with it", async () => {
    const result = await render({ maxPixels: 5000 });
    expect([result.width, result.height]).toEqual([100, 50]);
    expect(result.foreground).toEqual({ x: 50, y: 20, width: 20, height: 10 });
  });

  it("zips color.jpg and alpha.png", async () => {
    const result = await render({ format: "zip" });
    expect([result.format, result.mime]).toEqual(["zip", "application/zip"]);
    const entries = await unzip(result.data);
    expect(Object.keys(entries).sort()).toEqual(["alpha.png", "color.jpg"]);
    const colour = await sharp(entries["color.jpg"]!).metadata();
    const alpha = await rawOf(entries["alpha.png"]!);
    expect([colour.format, colour.width, colour.channels]).toEqual(["jpeg", W, 3]);
    expect([alpha.info.channels, alpha.at(110, 50)[0], alpha.at(5, 5)[0]]).toEqual([1, 255, 0]);
  });
});
