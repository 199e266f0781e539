import { z } from "zod";
import { protectedProcedure, router } from "../trpc.ts";

// Kinds stay strings so the service's message names the valid ones, as on REST.
export const notificationPreferencesInput = z.object({ disabled: z.array(z.string()).max(20) });

export const accountRouter = router({
  /** The signed-in user's account and credit balance. */
  me: protectedProcedure("removal").query(({ ctx }) => ctx.services.users.account(ctx.principal.userId)),
  stats: protectedProcedure("removal").query(({ ctx }) => ctx.services.jobs.stats(ctx.principal.userId)),
  /** Which notification mails the user gets (batch completed, batch failed). */
  notifications: protectedProcedure("removal").query(({ ctx }) => ctx.services.notifications.preferences(ctx.principal.userId)),
  setNotifications: protectedProcedure("removal")
    .input(notificationPreferencesInput)
    .mutation(({ ctx, input }) => ctx.services.notifications.setPreferences(ctx.principal.userId, input.disabled)),
});
