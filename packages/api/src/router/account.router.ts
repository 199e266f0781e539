import { protectedProcedure, router } from "../trpc.ts";

export const accountRouter = router({
  /** The signed-in user's account and credit balance. */
  me: protectedProcedure("removal").query(({ ctx }) => ctx.services.users.account(ctx.principal.userId)),
  stats: protectedProcedure("removal").query(({ ctx }) => ctx.services.jobs.stats(ctx.principal.userId)),
});
