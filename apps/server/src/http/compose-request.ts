import {
  ASPECT_PRESETS,
  BACKGROUND_FITS,
  COMPOSE_FORMATS,
  COMPOSE_SIZES,
  DomainError,
  MAX_CROP_MARGIN_PERCENT,
  SHADOW_TYPES,
  type ComposeRequest,
} from "@bgr/domain";
import type { LayoutOptions } from "@bgr/engine";
import { z } from "zod";
import { parseInput } from "./respond.ts";

const offset = z.number().min(-0.5).max(0.5);

/** The JSON of one composition; the engine checks the ranges again (validateLayout) as for every API. */
export const composeRequestSchema: z.ZodType<ComposeRequest, z.ZodTypeDef, unknown> = z.object({
  background: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("transparent") }),
    z.object({ kind: z.literal("colour"), colour: z.string() }),
    z.object({ kind: z.literal("image"), fit: z.enum(BACKGROUND_FITS) }),
    z.object({ kind: z.literal("blur"), strength: z.number().int().min(1).max(100) }),
  ]),
  shadow: z
    .object({ type: z.enum(SHADOW_TYPES), opacity: z.number().min(0).max(1), offset: z.object({ x: offset, y: offset }).nullable() })
    .nullable(),
  crop: z.object({ marginPercent: z.number().min(0).max(MAX_CROP_MARGIN_PERCENT) }).nullable(),
  aspect: z.enum(Object.keys(ASPECT_PRESETS) as [keyof typeof ASPECT_PRESETS]).nullable(),
  format: z.enum(COMPOSE_FORMATS),
  size: z.enum(Object.keys(COMPOSE_SIZES) as [keyof typeof COMPOSE_SIZES]),
});

const HINT =
  'Send the field "options" as JSON such as {"background":{"kind":"colour","colour":"#ffffff"},"shadow":null,"crop":{"marginPercent":10},"aspect":"1:1","format":"png","size":"original"}.';

/** The multipart field `options` (JSON text) → a checked ComposeRequest. */
export function parseComposeRequest(text: string | undefined): ComposeRequest {
  let json: unknown;
  try {
    json = JSON.parse(text ?? "");
  } catch {
    throw new DomainError("INVALID_OPTIONS", `The options are not valid JSON. ${HINT}`);
  }
  return parseInput(composeRequestSchema, json, HINT);
}

/**
 * A composition → the engine's layout: the same options remove.bg's API maps to, so the editor's
 * download and an API call with the same choices are composed by the same code.
 */
export function layoutOf(request: ComposeRequest, backgroundImage: Uint8Array | null): LayoutOptions {
  const layout: LayoutOptions = { format: request.format };
  const maxPixels = COMPOSE_SIZES[request.size];
  if (maxPixels !== null) layout.maxPixels = maxPixels;
  const { background } = request;
  if (background.kind === "colour") layout.background = { colour: background.colour };
  if (background.kind === "blur") layout.background = { blur: background.strength };
  if (background.kind === "image") {
    if (!backgroundImage)
      throw new DomainError(
        "INVALID_OPTIONS",
        'An image background needs the image: send it as the file "background", or choose another background.',
      );
    layout.background = { image: backgroundImage, fit: background.fit };
  }
  if (request.shadow)
    layout.shadow = {
      type: request.shadow.type,
      opacity: request.shadow.opacity,
      ...(request.shadow.offset ? { offset: request.shadow.offset } : {}),
    };
  if (request.crop) {
    const side = { value: request.crop.marginPercent, unit: "%" as const };
    layout.crop = { margins: { top: side, right: side, bottom: side, left: side } };
  }
  if (request.aspect) {
    const [width, height] = ASPECT_PRESETS[request.aspect];
    layout.aspect = { width, height };
  }
  return layout;
}
