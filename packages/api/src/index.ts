import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.ts";

export { appRouter } from "./root.ts";
export type { AppRouter } from "./root.ts";
export { createCallerFactory, INTERNAL_ERROR_MESSAGE } from "./trpc.ts";
export type { ApiContext } from "./trpc.ts";
export { calculatePrice } from "./router/pricing.router.ts";
export * as contracts from "./contracts.ts";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
