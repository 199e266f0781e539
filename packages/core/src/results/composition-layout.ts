import { ASPECT_PRESETS, COMPOSE_SIZES, DomainError, type ComposeRequest } from "@bgr/domain";
import type { LayoutOptions } from "@bgr/engine";

/**
 * A composition → the engine's layout: the same options remove.bg's API maps to, so the editor's
 * download, a batch's items and an API call with the same choices are composed by the same code.
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
