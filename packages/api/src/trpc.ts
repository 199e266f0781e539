import type {
  AccountsService,
  AdminService,
  ApiKeyService,
  BatchService,
  IdempotencyStore,
  IntegrationService,
  RemovalHistoryService,
  NotificationService,
  PaymentsService,
  Principal,
  RemovalService,
  SubscriptionService,
  TierCatalog,
  UsersService,
} from "@bgr/core";
import { assertScope, ERROR_TABLE, isDomainError, type ApiKeyScope } from "@bgr/domain";
import { initTRPC, TRPCError } from "@trpc/server";

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
    jobs: RemovalHistoryService;
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
    // TRPCError takes only tRPC's codes, so a table row naming another fails to compile.
    throw new TRPCError({ code: ERROR_TABLE[cause.code].trpc, message: cause.message, cause });
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
