import { z } from "zod";
import { buyPackInput, grantCreditsInput, inviteInput, settlePaymentInput } from "../contracts.ts";
import { protectedProcedure, router } from "../trpc.ts";

/** The same operations as REST /credits and /payments. */
export const paymentsRouter = router({
  packs: protectedProcedure("billing").query(({ ctx }) => ctx.services.payments.packs()),
  buyPack: protectedProcedure("billing")
    .input(buyPackInput)
    .mutation(({ ctx, input }) => ctx.services.payments.buyPack(ctx.principal.userId, input.pack)),
  list: protectedProcedure("billing").query(({ ctx }) => ctx.services.payments.list(ctx.principal.userId)),
  get: protectedProcedure("billing")
    .input(z.object({ paymentId: z.string() }))
    .query(({ ctx, input }) => ctx.services.payments.get(ctx.principal.userId, input.paymentId)),
});

/** The same operations as REST /admin; the service refuses non-admins. */
export const adminRouter = router({
  users: protectedProcedure("billing").query(({ ctx }) => ctx.services.admin.users(ctx.principal)),
  payments: protectedProcedure("billing").query(({ ctx }) => ctx.services.admin.payments(ctx.principal)),
  jobs: protectedProcedure("billing").query(({ ctx }) => ctx.services.admin.jobs(ctx.principal)),
  grantCredits: protectedProcedure("billing")
    .input(grantCreditsInput.extend({ userId: z.string() }))
    .mutation(({ ctx, input }) => ctx.services.admin.grantCredits(ctx.principal, input)),
  invite: protectedProcedure("billing")
    .input(inviteInput)
    .mutation(({ ctx, input }) => ctx.services.accounts.invite(ctx.principal, input.email)),
  settlePayment: protectedProcedure("billing")
    .input(settlePaymentInput.extend({ paymentId: z.string() }))
    .mutation(({ ctx, input }) =>
      ctx.services.admin.settlePayment(ctx.principal, input.paymentId, {
        status: input.status,
        ...(input.reason ? { reason: input.reason } : {}),
      }),
    ),
});
