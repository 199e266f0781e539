import { calculatePrice, jobListInput, notificationPreferencesInput, PAGINATION_HINT, paginationFields } from "@bgr/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { parseInput, respond } from "../http/respond.ts";

const listQuery = jobListInput.extend(paginationFields(z.coerce.number()));
const pricingBody = z.object({ tier: z.string(), imageCount: z.number().int().default(1) });

/** Reading jobs, stats and prices: thin wrappers over the services, shaped `{ success, data }`. */
export function jobsRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { jobs, users, tiers } = deps.services;
  const userId = (request: FastifyRequest) => principalOf(request).userId;

  app.get(
    "/jobs",
    respond(async (request) => {
      const query = parseInput(listQuery, request.query, `${PAGINATION_HINT} status and tier as listed in the docs.`);
      return jobs.list({ userId: userId(request), ...query });
    }),
  );
  app.get<{ Params: { id: string } }>("/jobs/:id", respond(async (request) => jobs.get(userId(request), request.params.id)));
  app.get("/stats", respond(async (request) => jobs.stats(userId(request))));
  app.get("/me", respond(async (request) => users.account(userId(request))));
  app.get("/me/notifications", respond(async (request) => deps.services.notifications.preferences(userId(request))));
  app.put(
    "/me/notifications",
    respond(async (request) => {
      const body = parseInput(notificationPreferencesInput, request.body, 'Send JSON { "disabled": ["batch_completed"] } naming the mails you do not want ([] for all).');
      return deps.services.notifications.setPreferences(userId(request), body.disabled);
    }),
  );
  app.get("/pricing", respond(async () => ({ tiers: tiers.list() })));
  app.post(
    "/pricing/calculate",
    respond(async (request) => {
      const body = parseInput(pricingBody, request.body, 'Send JSON { "tier": "standard", "imageCount": 100 }.');
      return calculatePrice(body.tier, body.imageCount);
    }),
  );
}
