import { contracts } from "@bgr/api";
import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { parseInput, respond } from "../http/respond.ts";

/** GET/POST /api-keys, DELETE /api-keys/:id: thin wrappers over the API key service (scope "keys"). */
export function apiKeysRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { apiKeys } = deps.services;
  app.get(
    "/api-keys",
    respond(async (request) => ({ items: await apiKeys.list(principalOf(request).userId) })),
  );
  app.post(
    "/api-keys",
    respond(async (request, reply) => {
      const body = parseInput(
        contracts.createApiKeyInput,
        request.body,
        'Send JSON { "name": "shop backend", "scopes"?: ["removal"], "defaultTier"?: "standard" }.',
      );
      const created = await apiKeys.create(principalOf(request), body);
      reply.status(201);
      return created;
    }),
  );
  app.delete<{ Params: { id: string } }>(
    "/api-keys/:id",
    respond(async (request) => apiKeys.revoke(principalOf(request).userId, request.params.id)),
  );
}
