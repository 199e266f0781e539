import type { LayoutOptions, Length, Margins, ShadowType } from "@bgr/engine";
import { RemoveBgError } from "./removebg-errors.ts";

/** remove.bg's `size` values → the most output pixels each allows here (null: the full resolution, up to the engine's limit). */
export const SIZE_LIMITS = {
  preview: 250_000,
  small: 250_000,
  regular: 250_000,
  medium: 1_500_000,
  hd: 4_000_000,
  "4k": 10_000_000,
  full: null,
  "50MP": null,
  auto: null,
} as const satisfies Record<string, number | null>;
export type RemoveBgSize = keyof typeof SIZE_LIMITS;

/** remove.bg's foreground types. A hint only: the engine runs the tier's model for each (see README). */
export const FOREGROUND_TYPES = ["auto", "person", "product", "animal", "car", "graphic", "transportation"] as const;
export type ForegroundType = (typeof FOREGROUND_TYPES)[number];

const TYPE_LEVELS = ["none", "1", "2", "latest"] as const;
const FORMATS = ["auto", "png", "jpg", "webp", "zip"] as const;
const SHADOW_TYPES: Record<string, ShadowType> = { drop: "drop", car: "car", "3d": "3d" };

export interface RemoveBgParameters {
  size: RemoveBgSize;
  type: ForegroundType;
  /** The layout for the engine; the background image, if any, is added by the caller once fetched or read. */
  layout: LayoutOptions;
  bgImageUrl: string | null;
}

/**
 * remove.bg's request fields (strings from a form, or JSON values) → typed options. Syntax is
 * checked here; ranges are the engine's (validateLayout), so both APIs share one set of rules.
 * Empty values count as absent, as they do at remove.bg.
 */
export function parseRemoveBgParameters(raw: Record<string, unknown>): RemoveBgParameters {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null || value === "") continue;
    fields[name] = typeof value === "string" ? value.trim() : String(value);
  }
  const size = oneOf("size", fields.size ?? "auto", Object.keys(SIZE_LIMITS) as RemoveBgSize[]);
  const type = oneOf("type", fields.type ?? "auto", FOREGROUND_TYPES);
  if (fields.type_level) oneOf("type_level", fields.type_level, TYPE_LEVELS);
  const format = oneOf("format", fields.format ?? "auto", FORMATS);
  const layout: LayoutOptions = { format, requireForeground: true };
  const maxPixels = SIZE_LIMITS[size];
  if (maxPixels !== null) layout.maxPixels = maxPixels;
  if (fields.roi) layout.roi = parseRoi(fields.roi);
  if (bool("crop", fields.crop, false)) layout.crop = { margins: parseMargins(fields.crop_margin ?? "0") };
  if (fields.scale && fields.scale !== "original") layout.scale = percent("scale", fields.scale) / 100;
  if (fields.position) layout.position = parsePosition(fields.position);
  if (fields.channels) layout.channels = oneOf("channels", fields.channels, ["rgba", "alpha"] as const);
  if (fields.bg_color && fields.bg_image_url)
    throw invalid("bg_color", "Give either bg_color or a background image (bg_image_url / bg_image_file), not both.");
  if (fields.bg_color) layout.background = { colour: fields.bg_color };
  if (bool("add_shadow", fields.add_shadow, false)) {
    const shadowType = SHADOW_TYPES[(fields.shadow_type ?? (type === "car" ? "car" : "drop")).toLowerCase()];
    if (!shadowType) throw invalid("shadow_type", `Unknown shadow_type "${fields.shadow_type}". Use car, 3D or drop.`);
    layout.shadow = { type: shadowType, opacity: fields.shadow_opacity ? number("shadow_opacity", fields.shadow_opacity) / 100 : 0.5 };
  }
  layout.semitransparency = bool("semitransparency", fields.semitransparency, true);
  return { size, type, layout, bgImageUrl: fields.bg_image_url ?? null };
}

function parseRoi(value: string): NonNullable<LayoutOptions["roi"]> {
  const parts = value.split(/\s+/);
  if (parts.length !== 4)
    throw invalid("roi", `roi needs four values, "x1 y1 x2 y2" in px or %, such as "0% 0% 100% 100%" (got "${value}").`);
  const [x1, y1, x2, y2] = parts.map((p) => length("roi", p)) as [Length, Length, Length, Length];
  return { x1, y1, x2, y2 };
}

/** CSS-style: one value for all sides, two (vertical, horizontal), or four (top, right, bottom, left). */
function parseMargins(value: string): Margins {
  const parts = value.split(/\s+/).map((p) => length("crop_margin", p));
  const [top, right = top, bottom = top, left = right] = parts.length === 2 ? [parts[0], parts[1], parts[0], parts[1]] : parts;
  if (!(parts.length === 1 || parts.length === 2 || parts.length === 4))
    throw invalid("crop_margin", `crop_margin takes one, two or four values, such as "10px" or "5% 10%" (got "${value}").`);
  return { top: top!, right: right!, bottom: bottom!, left: left! };
}

function parsePosition(value: string): NonNullable<LayoutOptions["position"]> {
  if (value === "original" || value === "center") return value;
  const parts = value.split(/\s+/);
  if (parts.length > 2)
    throw invalid("position", `position is original, center, or one or two percentages such as "50% 100%" (got "${value}").`);
  const x = percent("position", parts[0]!) / 100;
  const y = parts[1] === undefined ? x : percent("position", parts[1]) / 100;
  return { x, y };
}

/** `30px`, `10%`, or a bare number (pixels). */
function length(name: string, text: string): Length {
  const match = /^(\d+(?:\.\d+)?)(px|%)?$/.exec(text);
  if (!match) throw invalid(name, `"${text}" is not a length: give pixels ("30px") or a percentage ("10%").`);
  return { value: Number(match[1]), unit: match[2] === "%" ? "%" : "px" };
}

function percent(name: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (!match) throw invalid(name, `${name} takes a percentage such as "50%" (got "${text}").`);
  return Number(match[1]);
}

function number(name: string, text: string): number {
  const value = Number(text.replace(/%$/, ""));
  if (!Number.isFinite(value)) throw invalid(name, `${name} must be a number (got "${text}").`);
  return value;
}

function bool(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  throw invalid(name, `${name} must be true or false (got "${text}").`);
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw invalid(name, `Unknown ${name} "${value}". Use ${allowed.join(", ")}.`);
  return value as T;
}

function invalid(parameter: string, detail: string): RemoveBgError {
  return new RemoveBgError(400, "invalid_parameter", `Invalid parameter: ${parameter}`, detail);
}
