import { accountRouter } from "./router/account.router.ts";
import { apiKeysRouter } from "./router/api-keys.router.ts";
import { batchRouter } from "./router/batch.router.ts";
import { integrationsRouter } from "./router/integrations.router.ts";
import { jobsRouter } from "./router/jobs.router.ts";
import { adminRouter, paymentsRouter } from "./router/payments.router.ts";
import { pricingRouter } from "./router/pricing.router.ts";
import { subscriptionRouter } from "./router/subscription.router.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  account: accountRouter,
  admin: adminRouter,
  apiKeys: apiKeysRouter,
  batch: batchRouter,
  integrations: integrationsRouter,
  jobs: jobsRouter,
  payments: paymentsRouter,
  pricing: pricingRouter,
  subscription: subscriptionRouter,
});

export type AppRouter = typeof appRouter;
