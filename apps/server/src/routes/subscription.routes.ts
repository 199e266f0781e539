import type { FastifyInstance } from "fastify";
import { contracts } from "@bgr/api";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { parseInput, respond } from "../http/respond.ts";

/** GET/POST/DELETE /subscription (spec 3.2.4): thin wrappers over the subscription service. */
export function subscriptionRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { subscriptions } = deps.services;

  app.get(
    "/subscription",
    respond(async (request) => subscriptions.get(principalOf(request).userId)),
  );

  app.post(
    "/subscription",
    respond(async (request, reply) => {
      const body = parseInput(contracts.subscribeInput, request.body, 'Send JSON { "plan": "starter" } or { "plan": "pro" }.');
      const result = await subscriptions.subscribe(principalOf(request).userId, body.plan);
      // 201: a payment was created; 200: a cancelled plan was resumed.
      reply.status(result.payment ? 201 : 200);
      return result;
    }),
  );

  app.delete(
    "/subscription",
    respond(async (request) => {
      const body = parseInput(contracts.cancelSubscriptionInput, request.body, 'Send no body, or JSON { "reason": "…" }.');
      return subscriptions.cancel(principalOf(request).userId, body.reason ?? null);
    }),
  );
}
