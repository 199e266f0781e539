import { z } from "zod";
import { pageInput } from "../contracts.ts";
import { protectedProcedure, router } from "../trpc.ts";

const batchId = z.object({ batchId: z.string() });

/** Reading and cancelling batches; starting one is a multipart upload (REST `POST /batch`). */
export const batchRouter = router({
  get: protectedProcedure("removal")
    .input(batchId)
    .query(({ ctx, input }) => ctx.services.batches.get(ctx.principal.userId, input.batchId)),
  list: protectedProcedure("removal")
    .input(pageInput)
    .query(({ ctx, input }) => ctx.services.batches.list(ctx.principal.userId, input.page, input.pageSize)),
  cancel: protectedProcedure("removal")
    .input(batchId)
    .mutation(({ ctx, input }) => ctx.services.batches.cancel(ctx.principal.userId, input.batchId)),
});
