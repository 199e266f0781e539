import { notificationPreferencesInput } from "../contracts.ts";
import { protectedProcedure, router } from "../trpc.ts";

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
