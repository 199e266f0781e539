import { JOB_STATUSES, REMOVAL_TIERS } from "@bgr/db";
import { z } from "zod";
import { paginationFields } from "../pagination.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const jobListInput = z.object({
  ...paginationFields(),
  status: z.enum(JOB_STATUSES).optional(),
  tier: z.enum(REMOVAL_TIERS).optional(),
});

export const jobsRouter = router({
  list: protectedProcedure("removal").input(jobListInput).query(({ ctx, input }) => ctx.services.jobs.list({ userId: ctx.principal.userId, ...input })),
  get: protectedProcedure("removal").input(z.object({ jobId: z.string() })).query(({ ctx, input }) => ctx.services.jobs.get(ctx.principal.userId, input.jobId)),
});
