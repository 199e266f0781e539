import sharp from "sharp";
import { composeCutout, cropBox } from "../compose.ts";
import { InvalidOptionsError } from "../errors.ts";
import type { Box } from "../matte/subject-box.ts";
import { shapeAlpha } from "./alpha-shaping.ts";
import { encodeLayout, type EncodedLayout } from "./layout-output.ts";
import { MAX_BLUR_SIGMA_SHARE, type ResolvedLayout } from "./layout-options.ts";
import { clipToCanvas, placeSubject } from "./placement.ts";
import { shadowAlpha } from "./shadow.ts";

export interface LayoutInput {
  /** The photo's opaque colour and the final 8-bit matte, both at the source size. */
  rgb: Uint8Array;
  alpha: Uint8Array;
  width: number;
  height: number;
  /** The tier's foreground colour estimation for semi-transparent edges. */
  decontaminate: boolean;
  /** The photo's own straight RGBA when it has transparency: its colour where it is semi-transparent. */
  sourceRgba?: Uint8Array | null;
  layout: ResolvedLayout;
}

export interface LayoutResult extends EncodedLayout {
  /** The subject's box in the output image; null when nothing is visible. */
  foreground: Box | null;
}

/**
 * The matte to the finished image: shape the matte (roi, semi-transparency, foreground check), cut
 * out, lay the subject on its canvas (crop, scale, position), add a shadow and a background, fit the
 * size limit, encode. Interleaved RGBA throughout; sharp does the resampling and blurs.
 */
export async function renderLayout(input: LayoutInput): Promise<LayoutResult> {
  const { rgb, width, height, layout } = input;
  const alpha = shapeAlpha(input.alpha, width, height, layout);
  const cutout = composeCutout(rgb, alpha, width, height, input.decontaminate, null, input.sourceRgba ?? null).pixels;
  const subject = cropBox(alpha, width, height, 0);
  const { canvas, source, target } = placeSubject(subject, width, height, layout);

  let pixels = await placeLayer(cutout, width, height, source, target, canvas.width, canvas.height);
  const visible = subject && clipToCanvas(target, canvas.width, canvas.height);
  if (layout.channels === "rgba") {
    if (layout.shadow && visible) {
      const shadow = await shadowAlpha(alphaOf(pixels), canvas.width, canvas.height, visible, layout.shadow);
      pixels = over(pixels, solid(shadow, [0, 0, 0]));
    }
    if (layout.background) {
      const background =
        "blur" in layout.background
          ? await blurredPhotoLayer(rgb, width, height, source, target, canvas, layout.background.blur)
          : await backgroundLayer(layout.background, canvas.width, canvas.height);
      pixels = over(pixels, background);
    }
  }

  let out = { pixels, width: canvas.width, height: canvas.height };
  let foreground = visible;
  if (layout.maxPixels !== null && out.width * out.height > layout.maxPixels) {
    const k = Math.sqrt(layout.maxPixels / (out.width * out.height));
    const w = Math.max(1, Math.floor(out.width * k)),
      h = Math.max(1, Math.floor(out.height * k));
    out = { pixels: await resizeRgba(out.pixels, out.width, out.height, w, h), width: w, height: h };
    const sx = w / canvas.width,
      sy = h / canvas.height;
    foreground =
      visible &&
      clipToCanvas(
        {
          x: Math.floor(visible.x * sx),
          y: Math.floor(visible.y * sy),
          width: Math.ceil(visible.width * sx),
          height: Math.ceil(visible.height * sy),
        },
        w,
        h,
      );
  }
  const encoded = await encodeLayout(out.pixels, out.width, out.height, layout);
  return { ...encoded, foreground };
}

/** The subject's box of `cutout`, resized to `target`, on a transparent canvas (clipped at its edges). */
async function placeLayer(
  cutout: Uint8Array,
  width: number,
  height: number,
  source: Box,
  target: Box,
  canvasWidth: number,
  canvasHeight: number,
): Promise<Uint8Array> {
  const identity =
    canvasWidth === width &&
    canvasHeight === height &&
    target.x === source.x &&
    target.y === source.y &&
    target.width === source.width &&
    target.height === source.height;
  if (identity) return cutout;
  let layer = sharp(cutout, { raw: { width, height, channels: 4 } }).extract({
    left: source.x,
    top: source.y,
    width: source.width,
    height: source.height,
  });
  if (target.width !== source.width || target.height !== source.height)
    layer = layer.resize(target.width, target.height, { fit: "fill", kernel: "lanczos3" });
  const subject = await layer.raw().toBuffer();
  const out = new Uint8Array(canvasWidth * canvasHeight * 4);
  const visible = clipToCanvas(target, canvasWidth, canvasHeight);
  if (!visible) return out;
  for (let y = visible.y; y < visible.y + visible.height; y++) {
    const from = ((y - target.y) * target.width + (visible.x - target.x)) * 4;
    out.set(subject.subarray(from, from + visible.width * 4), (y * canvasWidth + visible.x) * 4);
  }
  return out;
}

/**
 * The photo itself, scaled and moved as the subject was (so it lines up behind it), mirrored where the
 * canvas reaches past the photo (crop margins, aspect padding), then blurred: sigma grows with
 * `strength` (1-100) up to MAX_BLUR_SIGMA_SHARE of the canvas's longer side.
 */
async function blurredPhotoLayer(
  rgb: Uint8Array,
  width: number,
  height: number,
  source: Box,
  target: Box,
  canvas: { width: number; height: number },
  strength: number,
): Promise<Uint8Array> {
  const kx = target.width / source.width,
    ky = target.height / source.height;
  // The photo's rectangle that the canvas shows, in photo pixels (may reach past the photo).
  const left = source.x - target.x / kx,
    top = source.y - target.y / ky;
  const x0 = clamp(Math.floor(left), 0, width - 1),
    y0 = clamp(Math.floor(top), 0, height - 1);
  const x1 = clamp(Math.ceil(left + canvas.width / kx), x0 + 1, width),
    y1 = clamp(Math.ceil(top + canvas.height / ky), y0 + 1, height);
  const w = Math.max(1, Math.round((x1 - x0) * kx)),
    h = Math.max(1, Math.round((y1 - y0) * ky));
  const placed = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .extract({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 })
    .resize(w, h, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer();
  // Where the resized rectangle's corner lands on the canvas; the rest of the canvas is mirrored photo.
  const px = Math.round((x0 - left) * kx),
    py = Math.round((y0 - top) * ky);
  const padLeft = Math.max(0, px),
    padTop = Math.max(0, py);
  const padded = await sharp(placed, { raw: { width: w, height: h, channels: 3 } })
    .extend({
      left: padLeft,
      top: padTop,
      right: Math.max(0, canvas.width - px - w),
      bottom: Math.max(0, canvas.height - py - h),
      extendWith: "mirror",
    })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const sigma = Math.max(0.3, (strength / 100) * MAX_BLUR_SIGMA_SHARE * Math.max(canvas.width, canvas.height));
  const out = await sharp(padded.data, { raw: { width: padded.info.width, height: padded.info.height, channels: 3 } })
    .extract({ left: padLeft - px, top: padTop - py, width: canvas.width, height: canvas.height })
    .blur(sigma)
    .ensureAlpha()
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

async function backgroundLayer(
  background: Exclude<NonNullable<ResolvedLayout["background"]>, { blur: number }>,
  width: number,
  height: number,
): Promise<Uint8Array> {
  if ("colour" in background) {
    const [r, g, b] = background.colour;
    const out = new Uint8Array(width * height * 4);
    for (let i = 0; i < out.length; i += 4) {
      out[i] = r;
      out[i + 1] = g;
      out[i + 2] = b;
      out[i + 3] = 255;
    }
    return out;
  }
  try {
    const image = await sharp(background.image, { failOn: "error", pages: 1 })
      .rotate()
      .toColourspace("srgb")
      .ensureAlpha()
      .resize(width, height, { fit: background.fit, position: "centre", background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .raw()
      .toBuffer();
    return new Uint8Array(image.buffer, image.byteOffset, image.length);
  } catch {
    throw new InvalidOptionsError("The background image is damaged or not an image we can read. Send a JPEG, PNG or WebP background.");
  }
}

/** Porter-Duff "over" of two same-size straight-alpha RGBA images. */
function over(top: Uint8Array, bottom: Uint8Array): Uint8Array {
  const out = new Uint8Array(top.length);
  for (let i = 0; i < top.length; i += 4) {
    const at = top[i + 3]! / 255,
      ab = bottom[i + 3]! / 255;
    const a = at + ab * (1 - at);
    if (a === 0) continue;
    for (let c = 0; c < 3; c++) out[i + c] = (top[i + c]! * at + bottom[i + c]! * ab * (1 - at)) / a + 0.5;
    out[i + 3] = a * 255 + 0.5;
  }
  return out;
}

function solid(alpha: Uint8Array, [r, g, b]: [number, number, number]): Uint8Array {
  const out = new Uint8Array(alpha.length * 4);
  for (let i = 0; i < alpha.length; i++) {
    out[i * 4] = r;
    out[i * 4 + 1] = g;
    out[i * 4 + 2] = b;
    out[i * 4 + 3] = alpha[i]!;
  }
  return out;
}

export function alphaOf(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = rgba[i * 4 + 3]!;
  return out;
}

async function resizeRgba(pixels: Uint8Array, width: number, height: number, w: number, h: number): Promise<Uint8Array> {
  const out = await sharp(pixels, { raw: { width, height, channels: 4 } })
    .resize(w, h, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
