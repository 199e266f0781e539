import { accountRouter } from "./router/account.router.ts";
import { jobsRouter } from "./router/jobs.router.ts";
import { pricingRouter } from "./router/pricing.router.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  account: accountRouter,
  jobs: jobsRouter,
  pricing: pricingRouter,
});

export type AppRouter = typeof appRouter;
