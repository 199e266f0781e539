import { JOB_STATUSES } from "@bgr/db";
import { TIER_NAMES } from "@bgr/domain";
import { z } from "zod";
import { idempotent } from "../idempotent.ts";
import { paginationFields } from "../pagination.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const jobListInput = z.object({
  ...paginationFields(),
  status: z.enum(JOB_STATUSES).optional(),
  tier: z.enum(TIER_NAMES).optional(),
});

const jobId = z.object({ jobId: z.string() });
/** The tier is a plain string here so a wrong one gets the service's INVALID_TIER message, like REST. */
const rerunInput = z.object({ jobId: z.string(), tier: z.string() });

export const jobsRouter = router({
  list: protectedProcedure("removal").input(jobListInput).query(({ ctx, input }) => ctx.services.jobs.list({ userId: ctx.principal.userId, ...input })),
  get: protectedProcedure("removal").input(jobId).query(({ ctx, input }) => ctx.services.jobs.get(ctx.principal.userId, input.jobId)),
  queuePlace: protectedProcedure("removal").input(jobId).query(({ ctx, input }) => ctx.services.jobs.queuePlace(ctx.principal.userId, input.jobId)),
  links: protectedProcedure("removal").input(jobId).query(({ ctx, input }) => ctx.services.jobs.links(ctx.principal.userId, input.jobId)),
  rerun: protectedProcedure("removal")
    .input(rerunInput)
    .mutation(({ ctx, input }) => idempotent(ctx, "jobs.rerun", input, () => ctx.services.removal.rerun({ userId: ctx.principal.userId, ...input }))),
});
