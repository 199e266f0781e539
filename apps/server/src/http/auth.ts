import type { Authenticator, Principal } from "@bgr/core";
import { assertScope, type ApiKeyScope } from "@bgr/domain";
import type { FastifyReply, FastifyRequest } from "fastify";
import { sendError, sendFailure } from "./errors.ts";

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** preHandler for authenticated routes: 401 without a valid token or API key, 403 INSUFFICIENT_SCOPE when the key lacks `scope`. */
export function requireUser(authenticator: Authenticator, scope: ApiKeyScope) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      request.principal = await authenticator.authenticate(request.headers, request.method);
    } catch (error) {
      return sendFailure(reply, error); // a cookie-authenticated change without its CSRF token
    }
    if (!request.principal) {
      return sendError(
        reply,
        401,
        "UNAUTHORIZED",
        "Sign in: with your email and password in the app, or send 'Authorization: Bearer <token>' with a platform token or an API key.",
      );
    }
    try {
      assertScope(request.principal.scopes, scope);
    } catch (error) {
      return sendFailure(reply, error);
    }
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error("route is missing requireUser");
  return request.principal;
}
