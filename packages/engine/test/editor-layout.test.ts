import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { InvalidOptionsError } from "../src/index.ts";
import { validateLayout, type LayoutOptions } from "../src/compose/layout-options.ts";
import { placeSubject } from "../src/compose/placement.ts";
import { renderLayout } from "../src/compose/render-layout.ts";

// The editor's layout options (#17): a blurred photo behind the subject, output aspect ratios, a shadow's offset.

/** A 200x100 photo, green left of x = 95 and red from there, with an opaque blue 40x20 subject at (100, 40). */
const W = 200,
  H = 100;
const SUBJECT = { x: 100, y: 40, width: 40, height: 20 };
const GREEN = [0, 200, 0],
  RED = [200, 0, 0];
function scene(): { rgb: Uint8Array; alpha: Uint8Array } {
  const rgb = new Uint8Array(W * H * 3);
  const alpha = new Uint8Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const x = i % W,
      y = Math.floor(i / W);
    rgb.set(x < 95 ? GREEN : RED, i * 3);
    if (x >= SUBJECT.x && x < SUBJECT.x + SUBJECT.width && y >= SUBJECT.y && y < SUBJECT.y + SUBJECT.height) {
      rgb.set([10, 20, 240], i * 3);
      alpha[i] = 255;
    }
  }
  return { rgb, alpha };
}

async function render(layout: LayoutOptions) {
  const { rgb, alpha } = scene();
  const result = await renderLayout({
    rgb,
    alpha,
    width: W,
    height: H,
    decontaminate: false,
    layout: validateLayout({ format: "png", ...layout }),
  });
  const { data, info } = await sharp(result.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x + 1) * 4)];
  return { result, info, data, at };
}

const px = (value: number) => ({ value, unit: "px" as const });
const margins = (value: number) => ({ margins: { top: px(value), right: px(value), bottom: px(value), left: px(value) } });

describe("editor layout options are checked", () => {
  it.each<[string, LayoutOptions, RegExp]>([
    ["a blur of 0", { background: { blur: 0 } }, /background blur must be a whole number from 1 to 100/],
    ["a blur over 100", { background: { blur: 101 } }, /from 1 to 100 \(got 101\)/],
    ["an aspect with a zero side", { aspect: { width: 0, height: 1 } }, /aspect ratio must be two positive numbers/],
    ["an aspect past 10:1", { aspect: { width: 20, height: 1 } }, /at most 10:1 either way/],
    [
      "a shadow offset past half the subject's height",
      { shadow: { type: "drop", offset: { x: 0, y: 0.8 } } },
      /shadow's y offset must be between -50 % and 50 %/,
    ],
  ])("refuses %s", (_name, layout, message) => {
    expect(() => validateLayout(layout)).toThrow(InvalidOptionsError);
    expect(() => validateLayout(layout)).toThrow(message);
  });
});

describe("aspect", () => {
  const base = { crop: null, aspect: null, scale: null, position: "original" as const };

  it("pads the canvas evenly to the ratio, the subject staying where it was relative to the photo", () => {
    // 200x100 at 1:1 → 200x200, everything 50 px lower.
    expect(placeSubject(SUBJECT, W, H, { ...base, aspect: { width: 1, height: 1 } })).toMatchObject({
      canvas: { width: 200, height: 200 },
      target: { ...SUBJECT, y: 90 },
    });
    // The cropped 40x20 subject at 4:5 → 40x50, centred vertically.
    const crop = validateLayout({ crop: {} }).crop;
    expect(placeSubject(SUBJECT, W, H, { ...base, crop, aspect: { width: 4, height: 5 } })).toMatchObject({
      canvas: { width: 40, height: 50 },
      target: { x: 0, y: 15, width: 40, height: 20 },
    });
    // Already wider than 1:2: only the height grows.
    expect(placeSubject(SUBJECT, W, H, { ...base, crop, aspect: { width: 16, height: 9 } }).canvas).toEqual({ width: 40, height: 23 });
  });

  it("gives the canvas that ratio in the rendered image, transparent around the subject", async () => {
    const { info, at } = await render({ crop: margins(10), aspect: { width: 16, height: 9 } });
    // 60x40 cropped → 71x40.
    expect([info.width, info.height]).toEqual([71, 40]);
    expect(at(35, 20)).toEqual([10, 20, 240, 255]);
    expect(at(2, 20)[3]).toBe(0);
  });
});

describe("a blurred photo as the background", () => {
  it("blurs more with a higher strength, and keeps the subject sharp on top", async () => {
    const mild = await render({ background: { blur: 1 } });
    const strong = await render({ background: { blur: 100 } });
    // Two pixels left of the green/red edge: unblurred green, blurred towards red.
    expect(mild.at(93, 5)).toEqual([...GREEN, 255]);
    expect(strong.at(93, 5)[0]).toBeGreaterThan(50);
    expect(strong.at(93, 5)[1]).toBeLessThan(170);
    expect(strong.at(120, 50)).toEqual([10, 20, 240, 255]);
    // Every pixel is opaque: the photo lies under the whole canvas.
    for (let i = 3; i < strong.data.length; i += 4) expect(strong.data[i]).toBe(255);
  });

  it("lines the photo up with the cropped subject and mirrors it where the canvas reaches past the photo", async () => {
    // Cropped with 10 px margins the canvas starts at photo x = 90: x 2 is photo 92 (green), x 7 is photo 97 (red).
    const cropped = await render({ crop: margins(10), background: { blur: 1 } });
    expect(cropped.at(2, 5)).toEqual([...GREEN, 255]);
    expect(cropped.at(7, 5)).toEqual([...RED, 255]);
    // 1:1 on the full photo reaches 50 px past its top and bottom: mirrored photo there.
    const square = await render({ aspect: { width: 1, height: 1 }, background: { blur: 1 } });
    expect([square.info.width, square.info.height]).toEqual([200, 200]);
    for (const y of [0, 25, 199]) expect(square.at(20, y)).toEqual([...GREEN, 255]);
    expect(square.at(180, 10)).toEqual([...RED, 255]);
  });
});

describe("shadow offset", () => {
  it("moves the shadow by fractions of the subject's height instead of the type's own offset", async () => {
    const below = { x: SUBJECT.x + 20, y: SUBJECT.y + SUBJECT.height + 8 };
    const usual = await render({ shadow: { type: "drop", opacity: 1 } });
    const lowered = await render({ shadow: { type: "drop", opacity: 1, offset: { x: 0, y: 0.5 } } });
    expect(usual.at(below.x, below.y)[3]).toBe(0);
    expect(lowered.at(below.x, below.y)[3]).toBeGreaterThan(100);
    // Moved left by half the height (10 px): present left of the subject, gone from its right.
    const left = await render({ shadow: { type: "drop", opacity: 1, offset: { x: -0.5, y: 0 } } });
    expect(left.at(SUBJECT.x - 6, SUBJECT.y + 10)[3]).toBeGreaterThan(100);
    expect(usual.at(SUBJECT.x - 6, SUBJECT.y + 10)[3]).toBe(0);
  });
});
