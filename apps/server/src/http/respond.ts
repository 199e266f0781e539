import { DomainError } from "@bgr/domain";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { sendData, sendFailure } from "./errors.ts";

/**
 * Wraps a handler that returns data: `{ success: true, data }` with the reply's status (200 unless
 * the handler set another), or the error's status and body. Keeps every route a one-liner.
 */
export function respond<R extends FastifyRequest>(handler: (request: R, reply: FastifyReply) => Promise<unknown>) {
  return async (request: R, reply: FastifyReply) => {
    try {
      const data = await handler(request, reply);
      return sendData(reply, data, reply.statusCode);
    } catch (error) {
      return sendFailure(reply, error);
    }
  };
}

/** Validates a body or query; the 400 names each problem and shows what to send. */
export function parseInput<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, hint: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    throw new DomainError("INVALID_OPTIONS", `${problems}. ${hint}`);
  }
  return result.data;
}
