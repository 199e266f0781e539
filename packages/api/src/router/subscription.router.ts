import { cancelSubscriptionInput, subscribeInput } from "../contracts.ts";
import { protectedProcedure, router } from "../trpc.ts";

/** The same operations as REST /subscription (spec 3.2.4), for typed clients. */
export const subscriptionRouter = router({
  /** The plan, today's quota and billing — or the plans on offer when there is none. */
  get: protectedProcedure("billing").query(({ ctx }) => ctx.services.subscriptions.get(ctx.principal.userId)),
  /** Starts a subscription: returns the payment to complete (it becomes active once paid). */
  subscribe: protectedProcedure("billing")
    .input(subscribeInput)
    .mutation(({ ctx, input }) => ctx.services.subscriptions.subscribe(ctx.principal.userId, input.plan)),
  /** Stops renewal; access stays until the paid period ends. */
  cancel: protectedProcedure("billing")
    .input(cancelSubscriptionInput.optional())
    .mutation(({ ctx, input }) => ctx.services.subscriptions.cancel(ctx.principal.userId, input?.reason ?? null)),
});
