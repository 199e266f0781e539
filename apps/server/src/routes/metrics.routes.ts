import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../deps.ts";
import { sendError } from "../http/errors.ts";
import { bearerMatches } from "../metrics.ts";

/** GET /metrics (Prometheus text) behind METRICS_TOKEN; without a token configured it does not exist. */
export function metricsRoutes(app: FastifyInstance, deps: ServerDeps) {
  app.get("/metrics", async (request, reply) => {
    const token = deps.metrics.token;
    if (!token) return sendError(reply, 404, "NOT_FOUND", "Metrics are off. Set METRICS_TOKEN on the server to turn them on.");
    if (!bearerMatches(request.headers.authorization, token)) {
      reply.header("WWW-Authenticate", 'Bearer realm="metrics"');
      return sendError(reply, 401, "UNAUTHORIZED", 'Send the deployment\'s METRICS_TOKEN as "Authorization: Bearer <token>".');
    }
    reply.header("Content-Type", deps.metrics.registry.contentType);
    return reply.send(await deps.metrics.registry.render());
  });
}
