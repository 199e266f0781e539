import { poseAutoRemoveInput, projectBatchInput, upscalerPipelineInput } from "../contracts.ts";
import { idempotent } from "../idempotent.ts";
import { protectedProcedure, router } from "../trpc.ts";

/** The other Lumiku apps' entry points (spec 3.2.5 and 7); the caller's token is forwarded to the sibling app. They charge, so they honour Idempotency-Key. */
export const integrationsRouter = router({
  avatarCreatorBatch: protectedProcedure("removal")
    .input(projectBatchInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx, "integrations.avatarCreatorBatch", input, () =>
        ctx.services.integrations.avatarCreatorBatch({ ...input, userId: ctx.principal.userId, authorization: ctx.authorization }),
      ),
    ),
  carouselMixBatch: protectedProcedure("removal")
    .input(projectBatchInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx, "integrations.carouselMixBatch", input, () =>
        ctx.services.integrations.carouselMixBatch({ ...input, userId: ctx.principal.userId, authorization: ctx.authorization }),
      ),
    ),
  poseAutoRemove: protectedProcedure("removal")
    .input(poseAutoRemoveInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx, "integrations.poseAutoRemove", input, () =>
        ctx.services.integrations.poseAutoRemove({ ...input, userId: ctx.principal.userId, authorization: ctx.authorization }),
      ),
    ),
  imageUpscalerPipeline: protectedProcedure("removal")
    .input(upscalerPipelineInput)
    .mutation(({ ctx, input }) =>
      idempotent(ctx, "integrations.imageUpscalerPipeline", input, () =>
        ctx.services.integrations.upscalerPipeline({ ...input, userId: ctx.principal.userId, authorization: ctx.authorization }),
      ),
    ),
});
