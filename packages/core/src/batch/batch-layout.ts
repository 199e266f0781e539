import { readFile } from "node:fs/promises";
import { DomainError, PLAIN_COMPOSITION, type BatchOptions, type TierName } from "@bgr/domain";
import { checkLayoutImages, validateRemoveOptions, type LayoutOptions } from "@bgr/engine";
import { asDomainErrors } from "../removal/engine-errors.ts";
import { layoutOf } from "../results/composition-layout.ts";
import { readObject, type Storage } from "../storage/storage.ts";
import type { StagedFile } from "./batch.service.ts";

/** A batch's layout, checked, with the background image's bytes when it has one. */
export interface BatchLayout {
  layout: LayoutOptions;
  backgroundImage: Uint8Array | null;
}

/**
 * The batch's options → the layout every item is composed with (the editor's, through layoutOf),
 * checked before anything is charged: the ranges, and the background image by its header. An image
 * sent without an image background, or the other way round, is refused: one of them is a mistake.
 */
export async function checkBatchLayout(
  tier: TierName,
  options: BatchOptions | undefined,
  background: StagedFile | undefined,
): Promise<BatchLayout | null> {
  if (background && options?.background.kind !== "image") {
    throw new DomainError(
      "INVALID_OPTIONS",
      'A background image was sent but the options do not ask for it: set "background" to {"kind":"image","fit":"cover"} in the options, or leave the file out.',
    );
  }
  if (!options) return null;
  if (background?.problem) throw new DomainError("INVALID_OPTIONS", `Background image: ${background.problem}`);
  const backgroundImage = background ? new Uint8Array(await readFile(background.path)) : null;
  const layout = layoutOf({ ...PLAIN_COMPOSITION, ...options }, backgroundImage);
  await asDomainErrors(async () => {
    validateRemoveOptions({ tier, layout });
    await checkLayoutImages(layout);
  });
  return { layout, backgroundImage };
}

/** A background image in a stored layout: named by its storage key (and size, as single removals keep it), not copied into each row. */
interface StoredImageBackground {
  imageKey: string;
  imageBytes: number;
  fit: NonNullable<Extract<LayoutOptions["background"], { image: Uint8Array }>["fit"]>;
}

/** The layout as each item's outputOptions keep it, the background image replaced by its key. */
export function storedItemOptions(layout: LayoutOptions, backgroundKey: string | null): Record<string, unknown> {
  const background = layout.background;
  if (!background || !("image" in background) || !backgroundKey) return { layout };
  const stored: StoredImageBackground = { imageKey: backgroundKey, imageBytes: background.image.length, fit: background.fit ?? "cover" };
  return { layout: { ...layout, background: stored } };
}

/** An item's layout from its outputOptions, the background image read back from storage; null: a batch without options. */
export async function itemLayout(storage: Storage, outputOptions: Record<string, unknown> | null): Promise<LayoutOptions | null> {
  const layout = outputOptions?.layout as (Omit<LayoutOptions, "background"> & { background?: unknown }) | undefined;
  if (!layout) return null;
  const background = layout.background as LayoutOptions["background"] | StoredImageBackground | undefined;
  if (background && "imageKey" in background) {
    return { ...layout, background: { image: await readObject(storage, background.imageKey), fit: background.fit } };
  }
  return { ...layout, background } as LayoutOptions;
}
