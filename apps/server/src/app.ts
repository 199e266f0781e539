import multipart from "@fastify/multipart";
import { appRouter, type ApiContext } from "@bgr/api";
import { fastifyTRPCPlugin, type CreateFastifyContextOptions } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import type { ServerDeps } from "./deps.ts";
import { requireUser } from "./http/auth.ts";
import { sendError } from "./http/errors.ts";
import { isWebAppNavigation, registerWebApp, sendWebApp } from "./http/web.ts";
import { OPENAPI_DOCUMENT } from "./openapi.ts";
import { devRoutes } from "./routes/dev.routes.ts";
import { batchRoutes } from "./routes/batch.routes.ts";
import { filesRoutes } from "./routes/files.routes.ts";
import { integrationsRoutes } from "./routes/integrations.routes.ts";
import { jobsRoutes } from "./routes/jobs.routes.ts";
import { removalRoutes } from "./routes/removal.routes.ts";
import { removeBgRoutes } from "./routes/removebg.routes.ts";
import { subscriptionRoutes, subscriptionWebhookRoutes } from "./routes/subscription.routes.ts";

export const API_PREFIX = "/api/apps/background-remover";

/** The HTTP server: REST under API_PREFIX, tRPC under /api/trpc, health at /health. No state of its own. */
export async function buildServer(deps: ServerDeps, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 });
  app.decorateRequest("principal", null);
  // Over-size files are truncated and flagged (part.file.truncated), not thrown mid-stream, so a
  // batch can name every bad file in one answer.
  await app.register(multipart, { throwFileSizeLimit: false });

  app.get("/health", async () => ({ status: "ok" }));

  await app.register(
    async (api) => {
      api.get("/docs", async () => OPENAPI_DOCUMENT);
      filesRoutes(api, deps);
      if (deps.devSignIn) devRoutes(api, deps.devSignIn);
      // Outside the authed scope: the payment provider's signature is its authentication.
      await api.register(async (webhook) => subscriptionWebhookRoutes(webhook, deps));
      await api.register(async (authed) => {
        authed.addHook("preHandler", requireUser(deps.authenticator));
        removalRoutes(authed, deps);
        batchRoutes(authed, deps);
        jobsRoutes(authed, deps);
        subscriptionRoutes(authed, deps);
        integrationsRoutes(authed, deps);
      });
    },
    { prefix: API_PREFIX },
  );

  // remove.bg's paths at the root, so its clients only change the host.
  await app.register(async (removebg) => removeBgRoutes(removebg, deps), { prefix: "/v1.0" });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/api/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: async ({ req }: CreateFastifyContextOptions): Promise<ApiContext> => ({
        principal: await deps.authenticator.authenticate(req.headers),
        authorization: req.headers.authorization ?? "",
        services: deps.services,
      }),
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
