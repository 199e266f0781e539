import { z } from "zod";
import { parseTierModels } from "./tier-models.ts";

/**
 * The engine's settings as environment variables, for an app's env.ts to compose (the engine itself
 * reads no environment: its callers pass the parsed values in as options).
 */
export const engineSettingsSchema = z.object({
  /** Where assembled models live; unset or empty: the app's default (DATA_DIR/models, which is the repository's data/models). */
  MODEL_CACHE_DIR: z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined),
  /** Models each tier may use, best first (`industry=birefnet-portrait+isnet-fp16,…`); unset: the tier table's lists. */
  TIER_MODELS: z
    .string()
    .default("")
    .superRefine((text, ctx) => {
      try {
        parseTierModels(text);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
      }
    }),
});
