import type { FastifyInstance } from "fastify";
import { contracts } from "@bgr/api";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { sendFailure } from "../http/errors.ts";
import { parseInput, respond } from "../http/respond.ts";

/** Credit packs and the caller's payments: thin wrappers over the payments service. */
export function paymentRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { payments } = deps.services;
  app.get(
    "/credits/packs",
    respond(async () => payments.packs()),
  );
  app.post(
    "/credits/purchases",
    respond(async (request, reply) => {
      const body = parseInput(
        contracts.buyPackInput,
        request.body,
        'Send JSON { "pack": "pack_100" } (GET /credits/packs lists the packs).',
      );
      reply.status(201);
      return payments.buyPack(principalOf(request).userId, body.pack);
    }),
  );
  app.get(
    "/payments",
    respond(async (request) => payments.list(principalOf(request).userId)),
  );
  app.get<{ Params: { id: string } }>(
    "/payments/:id",
    respond(async (request) => payments.get(principalOf(request).userId, request.params.id)),
  );
  // A standalone HTML page, inline in a tab or (?download=1) saved as a file; errors answer in JSON as everywhere.
  app.get<{ Params: { id: string }; Querystring: { download?: string } }>("/payments/:id/receipt", async (request, reply) => {
    try {
      const receipt = await payments.receipt(principalOf(request).userId, request.params.id);
      const disposition = request.query.download === "1" ? "attachment" : "inline";
      return reply
        .type("text/html; charset=utf-8")
        .header("content-disposition", `${disposition}; filename="${receipt.fileName}"`)
        .header("cache-control", "private, no-store")
        .send(receipt.html);
    } catch (error) {
      return sendFailure(reply, error);
    }
  });
}

/** Read-only views for admins, plus granting credits and confirming payments; the service checks the role. */
export function adminRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { admin } = deps.services;
  app.get(
    "/admin/users",
    respond(async (request) => admin.users(principalOf(request))),
  );
  app.get(
    "/admin/payments",
    respond(async (request) => admin.payments(principalOf(request))),
  );
  app.get(
    "/admin/jobs",
    respond(async (request) => admin.jobs(principalOf(request))),
  );
  app.post<{ Params: { id: string } }>(
    "/admin/users/:id/credits",
    respond(async (request) => {
      const body = parseInput(contracts.grantCreditsInput, request.body, 'Send JSON { "amount": 100, "reason": "why" }.');
      return admin.grantCredits(principalOf(request), { userId: request.params.id, ...body });
    }),
  );
  app.post<{ Params: { id: string } }>(
    "/admin/payments/:id/settle",
    respond(async (request) => {
      const body = parseInput(
        contracts.settlePaymentInput,
        request.body,
        'Send JSON { "status": "paid" } or { "status": "failed", "reason": "…" }.',
      );
      return admin.settlePayment(principalOf(request), request.params.id, {
        status: body.status,
        ...(body.reason ? { reason: body.reason } : {}),
      });
    }),
  );
}

/**
 * POST /payments/webhook, and /subscription/webhook (the address providers were configured with
 * before credit packs): the provider's signature over the raw body is its authentication, so these
 * live in their own scope, outside the authed one, with a parser that keeps the body's exact bytes.
 */
export async function paymentWebhookRoutes(app: FastifyInstance, deps: ServerDeps) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  const settle = respond(async (request) =>
    deps.services.payments.handleWebhook(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), request.headers),
  );
  for (const path of ["/payments/webhook", "/subscription/webhook"]) app.post(path, settle);
}
