import { z } from "zod";
import { jobListInput, rerunInput } from "../contracts.ts";
import { idempotent } from "../idempotent.ts";
import { protectedProcedure, router } from "../trpc.ts";

const jobId = z.object({ jobId: z.string() });

export const jobsRouter = router({
  list: protectedProcedure("removal")
    .input(jobListInput)
    .query(({ ctx, input }) => ctx.services.jobs.list({ userId: ctx.principal.userId, ...input })),
  get: protectedProcedure("removal")
    .input(jobId)
    .query(({ ctx, input }) => ctx.services.jobs.get(ctx.principal.userId, input.jobId)),
  queuePlace: protectedProcedure("removal")
    .input(jobId)
    .query(({ ctx, input }) => ctx.services.jobs.queuePlace(ctx.principal.userId, input.jobId)),
  links: protectedProcedure("removal")
    .input(jobId)
    .query(({ ctx, input }) => ctx.services.jobs.links(ctx.principal.userId, input.jobId)),
  rerun: protectedProcedure("removal")
    .input(rerunInput.extend({ jobId: z.string() }))
    .mutation(({ ctx, input }) =>
      idempotent(ctx, "jobs.rerun", input, () => ctx.services.removal.rerun({ userId: ctx.principal.userId, ...input })),
    ),
});
