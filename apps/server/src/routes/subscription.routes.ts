import { DomainError } from "@bgr/domain";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { sendData, sendFailure } from "../http/errors.ts";

const subscribeBody = z.object({ plan: z.string() });
const cancelBody = z.object({ reason: z.string().max(500).optional() });

/** GET/POST/DELETE /subscription (spec 3.2.4): thin wrappers over the subscription service. */
export function subscriptionRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { subscriptions } = deps.services;

  app.get("/subscription", async (request, reply) => {
    try {
      return sendData(reply, await subscriptions.get(principalOf(request).userId));
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.post("/subscription", async (request, reply) => {
    try {
      const body = parse(subscribeBody, request.body, 'Send JSON { "plan": "starter" } or { "plan": "pro" }.');
      const result = await subscriptions.subscribe(principalOf(request).userId, body.plan);
      // 201: a payment was created; 200: a cancelled plan was resumed.
      return sendData(reply, result, result.payment ? 201 : 200);
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.delete("/subscription", async (request, reply) => {
    try {
      const body = parse(cancelBody, request.body, 'Send no body, or JSON { "reason": "…" }.');
      return sendData(reply, await subscriptions.cancel(principalOf(request).userId, body.reason ?? null));
    } catch (error) {
      return sendFailure(reply, error);
    }
  });
}

/**
 * POST /subscription/webhook: the payment provider reports an outcome. No user auth — the signature
 * over the raw body is the authentication — so it is registered in its own scope, outside the authed
 * one, with a parser that keeps the body's exact bytes (re-serialised JSON would not match the signature).
 */
export async function subscriptionWebhookRoutes(app: FastifyInstance, deps: ServerDeps) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
  app.post("/subscription/webhook", async (request, reply) => {
    try {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      return sendData(reply, await deps.services.subscriptions.handleWebhook(raw, request.headers));
    } catch (error) {
      return sendFailure(reply, error);
    }
  });
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, hint: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    throw new DomainError("INVALID_OPTIONS", `${problems}. ${hint}`);
  }
  return result.data;
}
