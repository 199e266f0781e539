import { calculatePrice, contracts } from "@bgr/api";
import { PAGINATION_HINT } from "@bgr/domain";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { runOnce } from "../http/idempotency.ts";
import { parseInput, respond } from "../http/respond.ts";

/** Reading jobs, stats and prices: thin wrappers over the services, shaped `{ success, data }`. */
export function jobsRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { jobs, users, tiers, removal } = deps.services;
  const userId = (request: FastifyRequest) => principalOf(request).userId;

  app.get(
    "/jobs",
    respond(async (request) => {
      const query = parseInput(contracts.jobListQuery, request.query, `${PAGINATION_HINT} status and tier as listed in the docs.`);
      return jobs.list({ userId: userId(request), ...query });
    }),
  );
  app.get<{ Params: { id: string } }>(
    "/jobs/:id",
    respond(async (request) => jobs.get(userId(request), request.params.id)),
  );
  app.get<{ Params: { id: string } }>(
    "/jobs/:id/queue",
    respond(async (request) => jobs.queuePlace(userId(request), request.params.id)),
  );
  app.get<{ Params: { id: string } }>(
    "/jobs/:id/links",
    respond(async (request) => jobs.links(userId(request), request.params.id)),
  );
  app.post<{ Params: { id: string } }>(
    "/jobs/:id/rerun",
    respond(async (request, reply) => {
      const body = parseInput(contracts.rerunInput, request.body, 'Send JSON { "tier": "professional" }.');
      return runOnce(request, reply, deps.idempotency, { jobId: request.params.id, ...body }, () =>
        removal.rerun({ userId: userId(request), jobId: request.params.id, tier: body.tier }),
      );
    }),
  );
  app.get(
    "/stats",
    respond(async (request) => jobs.stats(userId(request))),
  );
  app.get(
    "/me",
    respond(async (request) => users.account(userId(request))),
  );
  app.get(
    "/me/notifications",
    respond(async (request) => deps.services.notifications.preferences(userId(request))),
  );
  app.put(
    "/me/notifications",
    respond(async (request) => {
      const body = parseInput(
        contracts.notificationPreferencesInput,
        request.body,
        'Send JSON { "disabled": ["batch_completed"] } naming the mails you do not want ([] for all).',
      );
      return deps.services.notifications.setPreferences(userId(request), body.disabled);
    }),
  );
  app.get(
    "/pricing",
    respond(async () => ({ tiers: tiers.list() })),
  );
  app.post(
    "/pricing/calculate",
    respond(async (request) => {
      const body = parseInput(contracts.pricingInput, request.body, 'Send JSON { "tier": "standard", "imageCount": 100 }.');
      return calculatePrice(body.tier, body.imageCount);
    }),
  );
}
