import type { AppRouter } from "@bgr/api";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { TRPC_PATH } from "@bgr/domain/api-prefix";
import { authHeaders } from "./session.ts";

/** Typed client of the server's tRPC router; only the router's type crosses into the browser bundle. */
export const trpc = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: TRPC_PATH, headers: () => authHeaders() })],
});

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Account = RouterOutputs["account"]["me"];
export type Job = RouterOutputs["jobs"]["get"];
export type JobPage = RouterOutputs["jobs"]["list"];
export type Quote = RouterOutputs["pricing"]["calculate"];
export type TierPrices = RouterOutputs["pricing"]["tiers"];
export type Tier = keyof TierPrices;
