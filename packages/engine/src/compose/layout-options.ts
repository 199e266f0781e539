import { BACKGROUND_FITS, type BackgroundFit } from "@bgr/domain";
import { InvalidOptionsError } from "../errors.ts";
import { parseHexColour, type RgbColour } from "../image/encode.ts";
import { SHADOW_TYPES, type ShadowType } from "./shadow.ts";

/** A length in pixels or in percent of a reference size (the image for `roi`, the subject for margins). */
export interface Length {
  value: number;
  unit: "px" | "%";
}

/** Margins around the cropped subject, each side on its own (CSS order in the HTTP APIs: top, right, bottom, left). */
export interface Margins {
  top: Length;
  right: Length;
  bottom: Length;
  left: Length;
}

export const LAYOUT_FORMATS = ["auto", "png", "jpg", "webp", "zip"] as const;
export type LayoutFormat = (typeof LAYOUT_FORMATS)[number];

export { BACKGROUND_FITS, type BackgroundFit } from "@bgr/domain";

/** The strongest background blur: at 100 the blur's sigma is this fraction of the canvas's longer side. */
export const MAX_BLUR_SIGMA_SHARE = 0.05;
/** A shadow's offset may move it at most this far, in units of the subject's height. */
export const MAX_SHADOW_OFFSET = 0.5;
/** Output aspect ratios are kept between 1:10 and 10:1. */
const MAX_ASPECT = 10;

/** An output aspect ratio, such as 4:5 (width to height). */
export interface AspectRatio {
  width: number;
  height: number;
}

/**
 * The composition a remove.bg-style request (or the web editor) asks for, applied after the matte.
 * Every field is optional; an empty layout gives the full-size transparent cut-out as PNG.
 */
export interface LayoutOptions {
  /** Where the subject may be (x1, y1, x2, y2 in the source image): the matte is cleared outside. */
  roi?: { x1: Length; y1: Length; x2: Length; y2: Length };
  /** Ignore semi-transparent interior regions (windows, glass): the matte is hardened. Default true (kept). */
  semitransparency?: boolean;
  /** Fail with InvalidImageError("no_foreground") when the matte holds no confident subject. */
  requireForeground?: boolean;
  /** Crop the canvas to the subject plus these margins (each at most 50 % of the subject's side or 500 px). */
  crop?: { margins?: Margins };
  /** Widen or heighten the canvas (after any crop) to this width:height, the subject kept where `position` puts it. */
  aspect?: AspectRatio;
  /** The subject's size relative to the canvas, 0.1-1 (its longer relative side fills this fraction). */
  scale?: number;
  /** Where the subject sits: where it was, centred, or at x/y fractions (0-1) of the free space. Default: original, centre with `scale`. */
  position?: "original" | "center" | { x: number; y: number };
  /** `alpha` returns only the matte as a greyscale image. */
  channels?: "rgba" | "alpha";
  /**
   * A colour (hex), an image resized to the canvas by `fit` (default cover, centred), or the photo
   * itself blurred at a strength of 1-100 (placed like the subject, so it lines up behind it).
   */
  background?: { colour: string } | { image: Uint8Array; fit?: BackgroundFit } | { blur: number };
  /**
   * A shadow synthesised from the matte, under the subject. Opacity 0-1 (default 0.5); `offset`
   * moves it by fractions of the subject's height (each -0.5 to 0.5; default the type's own).
   */
  shadow?: { type: ShadowType; opacity?: number; offset?: { x: number; y: number } };
  /** Largest output in pixels (width x height); a larger canvas is scaled down to fit. */
  maxPixels?: number;
  /** `auto`: PNG when the result has transparency, JPEG otherwise. `zip`: color.jpg plus alpha.png. */
  format?: LayoutFormat;
}

/** The checked layout, defaults filled in, colours parsed. */
export interface ResolvedLayout {
  roi: LayoutOptions["roi"] | null;
  semitransparency: boolean;
  requireForeground: boolean;
  crop: Margins | null;
  aspect: AspectRatio | null;
  scale: number | null;
  position: "original" | "center" | { x: number; y: number };
  channels: "rgba" | "alpha";
  background: { colour: RgbColour } | { image: Uint8Array; fit: BackgroundFit } | { blur: number } | null;
  shadow: { type: ShadowType; opacity: number; offset: { x: number; y: number } | null } | null;
  maxPixels: number | null;
  format: LayoutFormat;
}

const MAX_MARGIN_PERCENT = 50;
export const MAX_MARGIN_PX = 500;

const ZERO: Length = { value: 0, unit: "px" };

/** Checks a layout before any work (so nothing is charged for a bad one) and fills in the defaults. */
export function validateLayout(layout: LayoutOptions): ResolvedLayout {
  const roi = layout.roi ?? null;
  if (roi) {
    for (const [name, length] of Object.entries(roi)) checkLength(`roi ${name}`, length, { maxPercent: 100 });
    for (const [from, to] of [
      ["x1", "x2"],
      ["y1", "y2"],
    ] as const) {
      if (roi[from].unit === roi[to].unit && roi[to].value <= roi[from].value)
        throw new InvalidOptionsError(`The roi's ${to} must be greater than its ${from}: give "x1 y1 x2 y2", top-left then bottom-right.`);
    }
  }
  let crop: Margins | null = null;
  if (layout.crop) {
    crop = layout.crop.margins ?? { top: ZERO, right: ZERO, bottom: ZERO, left: ZERO };
    for (const [side, length] of Object.entries(crop))
      checkLength(`crop margin (${side})`, length, { maxPercent: MAX_MARGIN_PERCENT, maxPx: MAX_MARGIN_PX });
  }
  const aspect = layout.aspect ? resolveAspect(layout.aspect) : null;
  const scale = layout.scale ?? null;
  if (scale !== null && !(Number.isFinite(scale) && scale >= 0.1 && scale <= 1)) {
    throw new InvalidOptionsError(`Scale must be between 10 % and 100 % (got ${formatFraction(scale)}).`);
  }
  const position = layout.position ?? (scale !== null ? "center" : "original");
  if (typeof position === "object") {
    for (const [axis, value] of Object.entries(position)) {
      if (!(Number.isFinite(value) && value >= 0 && value <= 1))
        throw new InvalidOptionsError(`Position ${axis} must be between 0 % and 100 % (got ${formatFraction(value)}).`);
    }
  } else if (position !== "original" && position !== "center") {
    throw new InvalidOptionsError(`Unknown position "${String(position)}". Use original, center, or x/y percentages such as "50% 100%".`);
  }
  const channels = layout.channels ?? "rgba";
  if (channels !== "rgba" && channels !== "alpha")
    throw new InvalidOptionsError(`Unknown channels "${String(channels)}". Use rgba or alpha.`);
  const format = layout.format ?? "auto";
  if (!LAYOUT_FORMATS.includes(format))
    throw new InvalidOptionsError(`Unknown format "${String(format)}". Use ${LAYOUT_FORMATS.join(", ")}.`);
  const shadow = layout.shadow ? resolveShadow(layout.shadow) : null;
  const maxPixels = layout.maxPixels ?? null;
  if (maxPixels !== null && !(Number.isInteger(maxPixels) && maxPixels >= 64))
    throw new InvalidOptionsError(`The output size limit must be a whole number of pixels, at least 64 (got ${maxPixels}).`);
  return {
    roi,
    semitransparency: layout.semitransparency ?? true,
    requireForeground: layout.requireForeground ?? false,
    crop,
    aspect,
    scale,
    position,
    channels,
    background: resolveBackground(layout.background),
    shadow,
    maxPixels,
    format,
  };
}

function resolveBackground(background: LayoutOptions["background"]): ResolvedLayout["background"] {
  if (!background) return null;
  if ("colour" in background) return { colour: parseHexColour(background.colour) };
  if ("blur" in background) {
    const strength = background.blur;
    if (!(Number.isInteger(strength) && strength >= 1 && strength <= 100))
      throw new InvalidOptionsError(`The background blur must be a whole number from 1 to 100 (got ${strength}).`);
    return { blur: strength };
  }
  if (!(background.image instanceof Uint8Array) || background.image.length === 0)
    throw new InvalidOptionsError("The background image is empty: send an image file or leave the background out.");
  const fit = background.fit ?? "cover";
  if (!BACKGROUND_FITS.includes(fit))
    throw new InvalidOptionsError(`Unknown background fit "${String(fit)}". Use ${BACKGROUND_FITS.join(", ")}.`);
  return { image: background.image, fit };
}

function resolveShadow(shadow: NonNullable<LayoutOptions["shadow"]>): ResolvedLayout["shadow"] {
  if (!SHADOW_TYPES.includes(shadow.type))
    throw new InvalidOptionsError(`Unknown shadow type "${String(shadow.type)}". Use ${SHADOW_TYPES.join(", ")}.`);
  const opacity = shadow.opacity ?? 0.5;
  if (!(Number.isFinite(opacity) && opacity >= 0 && opacity <= 1))
    throw new InvalidOptionsError(`Shadow opacity must be between 0 and 100 % (got ${formatFraction(opacity)}).`);
  const offset = shadow.offset ?? null;
  if (offset) {
    for (const [axis, value] of Object.entries(offset)) {
      if (!(Number.isFinite(value) && Math.abs(value) <= MAX_SHADOW_OFFSET)) {
        throw new InvalidOptionsError(
          `The shadow's ${axis} offset must be between -${MAX_SHADOW_OFFSET * 100} % and ${MAX_SHADOW_OFFSET * 100} % of the subject's height (got ${formatFraction(value)}).`,
        );
      }
    }
  }
  return { type: shadow.type, opacity, offset };
}

function resolveAspect(aspect: AspectRatio): AspectRatio {
  const { width, height } = aspect;
  const ok =
    [width, height].every((side) => Number.isFinite(side) && side > 0) && width / height <= MAX_ASPECT && height / width <= MAX_ASPECT;
  if (!ok)
    throw new InvalidOptionsError(
      `The aspect ratio must be two positive numbers, width to height, at most ${MAX_ASPECT}:1 either way, such as 1:1, 4:5 or 16:9 (got ${width}:${height}).`,
    );
  return { width, height };
}

function checkLength(name: string, length: Length, max: { maxPercent: number; maxPx?: number }): void {
  const { value, unit } = length ?? ({} as Length);
  if (unit !== "px" && unit !== "%") throw new InvalidOptionsError(`The ${name} must be given in px or %.`);
  if (!(Number.isFinite(value) && value >= 0)) throw new InvalidOptionsError(`The ${name} must be 0 or more (got ${value}).`);
  if (unit === "%" && value > max.maxPercent)
    throw new InvalidOptionsError(`The ${name} may be at most ${max.maxPercent} % (got ${value} %).`);
  if (unit === "px" && max.maxPx !== undefined && value > max.maxPx)
    throw new InvalidOptionsError(`The ${name} may be at most ${max.maxPx} px (got ${value} px).`);
  if (unit === "px" && !Number.isInteger(value))
    throw new InvalidOptionsError(`The ${name} must be a whole number of pixels (got ${value}).`);
}

/** A length in pixels against its reference size (percent of it), rounded. */
export function toPixels(length: Length, reference: number): number {
  return length.unit === "px" ? length.value : Math.round((length.value / 100) * reference);
}

function formatFraction(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value * 1000) / 10} %` : String(value);
}
