import multipart from "@fastify/multipart";
import { appRouter, type ApiContext } from "@bgr/api";
import { fastifyTRPCPlugin, type CreateFastifyContextOptions } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import type { ServerDeps } from "./deps.ts";
import { requireUser } from "./http/auth.ts";
import { sendError } from "./http/errors.ts";
import { OPENAPI_DOCUMENT } from "./openapi.ts";
import { filesRoutes } from "./routes/files.routes.ts";
import { jobsRoutes } from "./routes/jobs.routes.ts";
import { removalRoutes } from "./routes/removal.routes.ts";

export const API_PREFIX = "/api/apps/background-remover";

/** The HTTP server: REST under API_PREFIX, tRPC under /api/trpc, health at /health. No state of its own. */
export async function buildServer(deps: ServerDeps, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 });
  app.decorateRequest("principal", null);
  await app.register(multipart);

  app.get("/health", async () => ({ status: "ok" }));

  await app.register(
    async (api) => {
      api.get("/docs", async () => OPENAPI_DOCUMENT);
      filesRoutes(api, deps);
      await api.register(async (authed) => {
        authed.addHook("preHandler", requireUser(deps.authenticator));
        removalRoutes(authed, deps);
        jobsRoutes(authed, deps);
      });
    },
    { prefix: API_PREFIX },
  );

  await app.register(fastifyTRPCPlugin, {
    prefix: "/api/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: async ({ req }: CreateFastifyContextOptions): Promise<ApiContext> => ({
        principal: await deps.authenticator.authenticate(req.headers),
        services: deps.services,
      }),
    },
  });

  app.setNotFoundHandler((request, reply) => sendError(reply, 404, "NOT_FOUND", `No route ${request.method} ${request.url}. See ${API_PREFIX}/docs.`));
  return app;
}
