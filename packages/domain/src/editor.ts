/**
 * The result editor's vocabulary (#17), shared by the server's compose route, the engine's layout and
 * the web app: what a composition of a finished result may ask for.
 */

/** remove.bg's shadow kinds: a drop shadow behind, a flat contact shadow under a car, a cast shadow on the ground. */
export const SHADOW_TYPES = ["drop", "car", "3d"] as const;
export type ShadowType = (typeof SHADOW_TYPES)[number];

/** How a background image is resized to the canvas. */
export const BACKGROUND_FITS = ["cover", "contain", "fill"] as const;
export type BackgroundFit = (typeof BACKGROUND_FITS)[number];

/** Output aspect ratios for marketplaces (width, height); none keeps the crop's or the photo's own. */
export const ASPECT_PRESETS = { "1:1": [1, 1], "4:5": [4, 5], "16:9": [16, 9] } as const satisfies Record<
  string,
  readonly [number, number]
>;
export type AspectPreset = keyof typeof ASPECT_PRESETS;

export const COMPOSE_FORMATS = ["png", "webp", "jpg"] as const;
export type ComposeFormat = (typeof COMPOSE_FORMATS)[number];

/** Download sizes: the original's pixels, or a preview of at most this many (remove.bg's preview size). */
export const COMPOSE_SIZES = { original: null, preview: 250_000 } as const satisfies Record<string, number | null>;
export type ComposeSize = keyof typeof COMPOSE_SIZES;

/** The crop margin, in percent of the subject's size, at most. */
export const MAX_CROP_MARGIN_PERCENT = 50;

/**
 * One composition of a result, as JSON (POST /jobs/:id/compose, field `options`); a background image
 * travels beside it as the multipart file `background`.
 */
export interface ComposeRequest {
  background:
    | { kind: "transparent" }
    | { kind: "colour"; colour: string }
    | { kind: "image"; fit: BackgroundFit }
    | { kind: "blur"; strength: number };
  /** Opacity 0-1; offsets in fractions of the subject's height (-0.5 to 0.5), null for the type's own. */
  shadow: { type: ShadowType; opacity: number; offset: { x: number; y: number } | null } | null;
  /** Crop to the subject with this margin on every side, in percent of the subject's size. */
  crop: { marginPercent: number } | null;
  aspect: AspectPreset | null;
  format: ComposeFormat;
  size: ComposeSize;
}

/** What the editor starts from: the plain cut-out, as the removal made it. */
export const PLAIN_COMPOSITION: ComposeRequest = {
  background: { kind: "transparent" },
  shadow: null,
  crop: null,
  aspect: null,
  format: "png",
  size: "original",
};

/**
 * What a batch may ask of every item's result (POST /batch, field `options`): a background, a crop to
 * the subject and the format, composed by the same layout as the editor's. A background image
 * travels beside it as the multipart file `background`.
 */
export type BatchOptions = Pick<ComposeRequest, "background" | "crop" | "format">;

/** A batch without options: transparent, uncropped PNGs. */
export const PLAIN_BATCH_OPTIONS: BatchOptions = { background: { kind: "transparent" }, crop: null, format: "png" };
