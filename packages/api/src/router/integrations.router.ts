import { UPSCALE_FACTORS } from "@bgr/core";
import { PIPELINE_ORDERS } from "@bgr/db";
import { z } from "zod";
import { idempotent } from "../idempotent.ts";
import { protectedProcedure, router } from "../trpc.ts";

// Tiers stay strings here so an unknown tier gets the service's INVALID_TIER message, as on every other route.
const callbackUrl = z.string().optional();

export const projectBatchInput = z.object({ projectId: z.string().min(1), tier: z.string(), callbackUrl });
export const poseAutoRemoveInput = z.object({ generatedImageId: z.string().min(1), tier: z.string().default("standard"), callbackUrl });
export const upscalerPipelineInput = z.object({
  imageId: z.string().min(1),
  pipeline: z.enum(PIPELINE_ORDERS),
  removalTier: z.string().default("standard"),
  upscaleFactor: z.number().refine((factor) => (UPSCALE_FACTORS as readonly number[]).includes(factor), { message: `upscaleFactor must be ${UPSCALE_FACTORS.join(" or ")}` }),
  callbackUrl,
});

/** The other Lumiku apps' entry points (spec 3.2.5 and 7); the caller's token is forwarded to the sibling app. They charge, so they honour Idempotency-Key. */
export const integrationsRouter = router({
  avatarCreatorBatch: protectedProcedure("removal")
    .input(projectBatchInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx, "integrations.avatarCreatorBatch", input, () => ctx.services.integrations.avatarCreatorBatch({ ...input, userId: ctx.principal.userId, authorization: ctx.authorization })),
    ),
  carouselMixBatch: protectedProcedure("removal")
    .input(projectBatchInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx, "integrations.carouselMixBatch", input, () => ctx.services.integrations.carouselMixBatch({ ...input, userId: ctx.principal.userId, authorization: ctx.authorization })),
    ),
  poseAutoRemove: protectedProcedure("removal")
    .input(poseAutoRemoveInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx, "integrations.poseAutoRemove", input, () => ctx.services.integrations.poseAutoRemove({ ...input, userId: ctx.principal.userId, authorization: ctx.authorization })),
    ),
  imageUpscalerPipeline: protectedProcedure("removal")
    .input(upscalerPipelineInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx, "integrations.imageUpscalerPipeline", input, () => ctx.services.integrations.upscalerPipeline({ ...input, userId: ctx.principal.userId, authorization: ctx.authorization })),
    ),
});
