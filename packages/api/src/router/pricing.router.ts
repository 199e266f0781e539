import { priceBatch, TIER_CREDITS } from "@bgr/domain";
import { pricingInput } from "../contracts.ts";
import { publicProcedure, router } from "../trpc.ts";

export const pricingRouter = router({
  /** Price of `imageCount` images of a tier, volume discount included (a single image is a count of 1). */
  calculate: publicProcedure.input(pricingInput).query(({ input }) => calculatePrice(input.tier, input.imageCount)),
  tiers: publicProcedure.query(() => TIER_CREDITS),
  /** Each tier's credits and the model that serves it on this deployment now. */
  tierList: publicProcedure.query(({ ctx }) => ctx.services.tiers.list()),
});

export function calculatePrice(tier: string, imageCount: number) {
  const pricing = priceBatch(tier as Parameters<typeof priceBatch>[0], imageCount);
  return { tier, imageCount, kind: imageCount === 1 ? ("single" as const) : ("batch" as const), pricing };
}
