import type { BatchService, IntegrationService, JobsService, Principal, RemovalService, SubscriptionService, TierCatalog, UsersService } from "@bgr/core";
import { isDomainError, type DomainErrorCode } from "@bgr/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/** What every procedure can use: the caller (if signed in) and the services. Built per request by the server. */
export interface ApiContext {
  principal: Principal | null;
  /** The request's Authorization header as received, forwarded to sibling Lumiku apps ("" when absent). */
  authorization: string;
  services: {
    jobs: JobsService;
    batches: BatchService;
    users: UsersService;
    removal: RemovalService;
    subscriptions: SubscriptionService;
    integrations: IntegrationService;
    tiers: TierCatalog;
  };
}

/** The one mapping from business-rule failures to tRPC codes (the REST layer maps the same codes to HTTP). */
const TRPC_CODES: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  INVALID_TIER: "BAD_REQUEST",
  INVALID_IMAGE_COUNT: "BAD_REQUEST",
  FILE_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  BATCH_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  INSUFFICIENT_CREDITS: "PAYMENT_REQUIRED",
  TIER_NOT_ALLOWED: "FORBIDDEN",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  INVALID_IMAGE: "BAD_REQUEST",
  INVALID_OPTIONS: "BAD_REQUEST",
  INVALID_FILES: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  BUSY: "SERVICE_UNAVAILABLE",
  NOT_CONFIGURED: "NOT_IMPLEMENTED",
  UPSTREAM_FAILED: "BAD_GATEWAY",
  UPSTREAM_TIMEOUT: "GATEWAY_TIMEOUT",
};

const t = initTRPC.context<ApiContext>().create({
  errorFormatter({ shape, error }) {
    const domain = isDomainError(error.cause) ? error.cause : null;
    // Clients get the domain code and its facts (e.g. required/available credits) to word the error.
    return { ...shape, data: { ...shape.data, domainCode: domain?.code ?? null, details: domain?.details ?? null } };
  },
});

const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODES[cause.code], message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in: send a platform token or an API key." });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});
