import { calculatePrice, jobListInput } from "@bgr/api";
import { DomainError } from "@bgr/domain";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { sendData, sendFailure } from "../http/errors.ts";

const queryNumber = z.coerce.number().int();
const listQuery = jobListInput.extend({ page: queryNumber.min(1).default(1), pageSize: queryNumber.min(1).max(100).default(20) });
const pricingBody = z.object({ tier: z.string(), imageCount: z.number().int().default(1) });

/** Reading jobs, stats and prices: thin wrappers over the services, shaped `{ success, data }`. */
export function jobsRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { jobs, users } = deps.services;

  app.get("/jobs", async (request, reply) => {
    try {
      const query = parse(listQuery, request.query, "Query parameters: page ≥ 1, pageSize 1–100, status and tier as listed in the docs.");
      return sendData(reply, await jobs.list({ userId: principalOf(request).userId, ...query }));
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.get<{ Params: { id: string } }>("/jobs/:id", async (request, reply) => {
    try {
      return sendData(reply, await jobs.get(principalOf(request).userId, request.params.id));
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.get("/stats", async (request, reply) => {
    try {
      return sendData(reply, await jobs.stats(principalOf(request).userId));
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.get("/me", async (request, reply) => {
    try {
      return sendData(reply, await users.account(principalOf(request).userId));
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.post("/pricing/calculate", async (request, reply) => {
    try {
      const body = parse(pricingBody, request.body, "Send JSON { \"tier\": \"standard\", \"imageCount\": 100 }.");
      return sendData(reply, calculatePrice(body.tier, body.imageCount));
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
