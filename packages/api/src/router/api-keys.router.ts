import { z } from "zod";
import { createApiKeyInput } from "../contracts.ts";
import { protectedProcedure, router } from "../trpc.ts";

/** The same operations as REST /api-keys: the secret comes back once, from `create`. */
export const apiKeysRouter = router({
  list: protectedProcedure("keys").query(({ ctx }) => ctx.services.apiKeys.list(ctx.principal.userId)),
  create: protectedProcedure("keys")
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => ctx.services.apiKeys.create(ctx.principal, input)),
  revoke: protectedProcedure("keys")
    .input(z.object({ keyId: z.string() }))
    .mutation(({ ctx, input }) => ctx.services.apiKeys.revoke(ctx.principal.userId, input.keyId)),
});
