import { randomUUID } from "node:crypto";
import multipart from "@fastify/multipart";
import { appRouter, type ApiContext } from "@bgr/api";
import { withLogContext } from "@bgr/core";
import { API_PREFIX, TRPC_PATH } from "@bgr/domain";
import { fastifyTRPCPlugin, type CreateFastifyContextOptions } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance, type FastifyRequest, type RouteOptions } from "fastify";
import type { ServerDeps } from "./deps.ts";
import { requireUser } from "./http/auth.ts";
import { clientErrorResponse, sendError, sendFailure } from "./http/errors.ts";
import { registerSecurityHeaders } from "./http/security-headers.ts";
import { isWebAppNavigation, registerWebApp, sendWebApp } from "./http/web.ts";
import { OPENAPI_DOCUMENT } from "./openapi.ts";
import { apiKeysRoutes } from "./routes/api-keys.routes.ts";
import { authRoutes } from "./routes/auth.routes.ts";
import { devRoutes } from "./routes/dev.routes.ts";
import { batchRoutes } from "./routes/batch.routes.ts";
import { filesRoutes } from "./routes/files.routes.ts";
import { healthRoutes } from "./routes/health.routes.ts";
import { metricsRoutes } from "./routes/metrics.routes.ts";
import { integrationsRoutes } from "./routes/integrations.routes.ts";
import { jobsRoutes } from "./routes/jobs.routes.ts";
import { resultEditorRoutes } from "./routes/result-editor.routes.ts";
import { adminRoutes, paymentRoutes, paymentWebhookRoutes } from "./routes/payments.routes.ts";
import { removalRoutes } from "./routes/removal.routes.ts";
import { removeBgRoutes } from "./routes/removebg.routes.ts";
import { subscriptionRoutes } from "./routes/subscription.routes.ts";

export interface ServerOptions {
  logger?: boolean;
  /** Headers and the whole request must arrive within these, or the socket is closed (408). */
  timeouts?: { headersSeconds: number; requestSeconds: number };
  /** Told of every route as it is registered (the OpenAPI test checks each is documented). */
  onRoute?: (route: RouteOptions) => void;
}

// A client's own id is kept (so its logs and ours line up) when it is short and plain; otherwise ours.
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The HTTP server: REST under API_PREFIX, tRPC under /api/trpc, health at /health. No state of its own. */
export async function buildServer(deps: ServerDeps, options: ServerOptions = {}): Promise<FastifyInstance> {
  const timeouts = options.timeouts ?? { headersSeconds: 15, requestSeconds: 120 };
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestTimeout: timeouts.requestSeconds * 1000,
    // Node checks these timeouts on this interval (30 s by default, which would stretch them).
    http: { headersTimeout: timeouts.headersSeconds * 1000, connectionsCheckingInterval: 1000 },
    // Rejected by Node's parser before Fastify sees it (431 headers too large, 408 too slow): our envelope all the same.
    clientErrorHandler(error, socket) {
      if ((error as NodeJS.ErrnoException).code === "ECONNRESET" || socket.destroyed) return;
      if (socket.writable) socket.write(clientErrorResponse(error as NodeJS.ErrnoException));
      socket.destroy(error);
    },
  });
  if (options.onRoute) app.addHook("onRoute", options.onRoute);
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request, reply) => {
    reply.header("X-Request-Id", request.id);
  });
  // Entered after the body is read (Node's parser callbacks would drop it), so the handler, and every
  // job it enqueues, carries the request's id: the worker's log lines for those jobs show it.
  app.addHook("preHandler", (request, _reply, done) => withLogContext({ requestId: request.id }, done));
  app.addHook("onResponse", async (request, reply) => {
    deps.metrics.registry.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });
  // Fastify's own failures (bad JSON, body too large, multipart limits) and anything a route let escape.
  app.setErrorHandler((error, _request, reply) => sendFailure(reply, error));
  await registerSecurityHeaders(app);
  // Over-size files are truncated and flagged (part.file.truncated), not thrown mid-stream, so a
  // batch can name every bad file in one answer.
  await app.register(multipart, { throwFileSizeLimit: false });

  healthRoutes(app, deps);
  metricsRoutes(app, deps);

  await app.register(
    async (api) => {
      api.get("/docs", async () => OPENAPI_DOCUMENT);
      filesRoutes(api, deps);
      if (deps.devSignIn) devRoutes(api, deps.devSignIn);
      authRoutes(api, deps);
      // Outside the authed scope: the payment provider's signature is its authentication.
      await api.register(async (webhook) => paymentWebhookRoutes(webhook, deps));
      // One scope per group: what an API key must hold to reach these routes (people hold every scope).
      await api.register(async (authed) => {
        authed.addHook("preHandler", requireUser(deps.authenticator, "removal"));
        removalRoutes(authed, deps);
        batchRoutes(authed, deps);
        jobsRoutes(authed, deps);
        resultEditorRoutes(authed, deps);
        integrationsRoutes(authed, deps);
      });
      await api.register(async (authed) => {
        authed.addHook("preHandler", requireUser(deps.authenticator, "billing"));
        subscriptionRoutes(authed, deps);
        paymentRoutes(authed, deps);
        // Admins grant credits and confirm payments; the routes also check the admin role.
        adminRoutes(authed, deps);
      });
      await api.register(async (authed) => {
        authed.addHook("preHandler", requireUser(deps.authenticator, "keys"));
        apiKeysRoutes(authed, deps);
      });
    },
    { prefix: API_PREFIX },
  );

  // remove.bg's paths at the root, so its clients only change the host.
  await app.register(async (removebg) => removeBgRoutes(removebg, deps), { prefix: "/v1.0" });

  await app.register(fastifyTRPCPlugin, {
    prefix: TRPC_PATH,
    trpcOptions: {
      router: appRouter,
      createContext: async ({ req, res }: CreateFastifyContextOptions): Promise<ApiContext> => ({
        requestId: req.id,
        // A cookie-authenticated change without its CSRF token signs nobody in (fails closed, 401).
        principal: await deps.authenticator.authenticate(req.headers, req.method).catch(() => null),
        authorization: req.headers.authorization ?? "",
        idempotencyKey: req.headers["idempotency-key"],
        markReplayed: () => void res.header("Idempotent-Replayed", "true"),
        idempotency: deps.idempotency,
        services: deps.services,
      }),
      // The client got a generic message and the request id; the cause is kept here.
      onError: ({ error, req }: { error: { code: string; cause?: unknown }; req: FastifyRequest }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error.cause ?? error, requestId: req.id }, "unhandled tRPC error");
      },
    },
  });

  const webApp = await registerWebApp(app);
  app.setNotFoundHandler((request, reply) =>
    webApp && isWebAppNavigation(request)
      ? sendWebApp(reply)
      : sendError(reply, 404, "NOT_FOUND", `No route ${request.method} ${request.url}. See ${API_PREFIX}/docs.`),
  );
  return app;
}
