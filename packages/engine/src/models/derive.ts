import type { DerivationRecipe } from "./model.ts";
import { quantiseIsnet, readInt8Recipe } from "./quantise/isnet-int8.ts";

/** Turns a source model's bytes into a derived model's bytes; pure given the same inputs. */
export const DERIVATIONS: Record<DerivationRecipe, (source: Uint8Array) => Promise<Uint8Array>> = {
  "isnet-int8-qdq": async (fp16) => quantiseIsnet(fp16, await readInt8Recipe()),
};
