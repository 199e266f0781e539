import type { AccountsService, AdminService, ApiKeyService, BatchService, IdempotencyStore, IntegrationService, JobsService, NotificationService, PaymentsService, Principal, RemovalService, SubscriptionService, TierCatalog, UsersService } from "@bgr/core";
import { assertScope, isDomainError, type ApiKeyScope, type DomainErrorCode } from "@bgr/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/** What every procedure can use: the caller (if signed in) and the services. Built per request by the server. */
export interface ApiContext {
  principal: Principal | null;
  /** The server's id for this request: in every error body and in the log, so a report can be traced. */
  requestId: string;
  /** The request's Authorization header as received, forwarded to sibling Lumiku apps ("" when absent). */
  authorization: string;
  /** The request's Idempotency-Key header as received (mutations that charge honour it). */
  idempotencyKey: string | string[] | undefined;
  /** Marks the HTTP answer `Idempotent-Replayed: true`. */
  markReplayed: () => void;
  /** The same store REST's Idempotency-Key uses. */
  idempotency: IdempotencyStore;
  services: {
    jobs: JobsService;
    batches: BatchService;
    users: UsersService;
    apiKeys: ApiKeyService;
    removal: RemovalService;
    payments: PaymentsService;
    accounts: AccountsService;
    admin: AdminService;
    subscriptions: SubscriptionService;
    integrations: IntegrationService;
    tiers: TierCatalog;
    notifications: NotificationService;
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
  IDEMPOTENCY_KEY_REUSED: "UNPROCESSABLE_CONTENT",
  IDEMPOTENCY_KEY_IN_USE: "CONFLICT",
  INSUFFICIENT_SCOPE: "FORBIDDEN",
  // tRPC has no 410; the code in the error's data says it is gone for good.
  FILE_EXPIRED: "NOT_FOUND",
};

/** Said for every failure that is not the caller's: the cause (stack, file paths, SQL) is logged, never sent. */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Try again; if it persists, contact support with the request id.";

const t = initTRPC.context<ApiContext>().create({
  // Built from scratch rather than spread from tRPC's default shape, which carries the stack outside production.
  errorFormatter({ shape, error, ctx }) {
    const domain = isDomainError(error.cause) ? error.cause : null;
    const internal = !domain && error.code === "INTERNAL_SERVER_ERROR";
    return {
      code: shape.code,
      message: internal ? INTERNAL_ERROR_MESSAGE : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        // Clients get the domain code and its facts (e.g. required/available credits) to word the error.
        domainCode: domain?.code ?? null,
        details: domain?.details ?? null,
        requestId: ctx?.requestId ?? null,
      },
    };
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
const signedIn = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in: send a platform token or an API key." });
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

/** A procedure for signed-in callers whose credential holds `scope` (an API key may hold only some; a person holds all). */
export function protectedProcedure(scope: ApiKeyScope) {
  return signedIn.use(({ ctx, next }) => {
    assertScope(ctx.principal.scopes, scope);
    return next();
  });
}
