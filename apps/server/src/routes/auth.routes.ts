import { contracts } from "@bgr/api";
import { SESSION_COOKIE, sessionTokenOf, type SignedIn } from "@bgr/core";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerDeps } from "../deps.ts";
import { principalOf, requireUser } from "../http/auth.ts";
import { parseInput, respond } from "../http/respond.ts";

/** Standalone accounts (REST): sign-up, sign-in, session, sign-out (here or everywhere), password reset. */
export function authRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { accounts } = deps.services;

  app.get(
    "/auth/config",
    respond(async () => ({ signupMode: accounts.signupMode })),
  );

  app.post(
    "/auth/sign-up",
    respond(async (request, reply) => {
      const body = parseInput(contracts.credentialsInput, request.body, 'Send JSON { "email": "…", "password": "…" }.');
      reply.status(201);
      return signedIn(request, reply, deps, await accounts.signUp(body));
    }),
  );

  app.post(
    "/auth/sign-in",
    respond(async (request, reply) => {
      const body = parseInput(contracts.credentialsInput, request.body, 'Send JSON { "email": "…", "password": "…" }.');
      return signedIn(request, reply, deps, await accounts.signIn({ ...body, ip: request.ip }));
    }),
  );

  app.post(
    "/auth/password-reset",
    respond(async (request, reply) => {
      const body = parseInput(contracts.passwordResetInput, request.body, 'Send JSON { "email": "…" }.');
      await accounts.requestPasswordReset(body.email);
      reply.status(202);
      return { message: "If an account has this email, a reset link is on its way. It works once, within 30 minutes." };
    }),
  );

  app.post(
    "/auth/password-reset/confirm",
    respond(async (request) => {
      const body = parseInput(
        contracts.passwordResetConfirmInput,
        request.body,
        'Send JSON { "token": "<from the mail>", "password": "<new password>" }.',
      );
      await accounts.resetPassword(body.token, body.password);
      return { message: "Password changed; every session was signed out. Sign in with the new password." };
    }),
  );

  app.register(async (authed) => {
    authed.addHook("preHandler", requireUser(deps.authenticator, "removal"));
    authed.get(
      "/auth/session",
      respond(async (request) => {
        const token = sessionTokenOf(request.headers.cookie);
        return {
          account: await deps.services.users.account(principalOf(request).userId),
          via: principalOf(request).via,
          csrfToken: token ? accounts.csrfTokenFor(token) : null,
        };
      }),
    );
    authed.post(
      "/auth/sign-out",
      respond(async (request, reply) => {
        const token = sessionTokenOf(request.headers.cookie);
        if (token) await accounts.signOut(token);
        clearCookie(request, reply, deps);
        return { signedOut: true };
      }),
    );
    authed.post(
      "/auth/sign-out-everywhere",
      respond(async (request, reply) => {
        const result = await accounts.signOutEverywhere(principalOf(request).userId);
        clearCookie(request, reply, deps);
        return result;
      }),
    );
    authed.post(
      "/admin/invitations",
      respond(async (request, reply) => {
        const body = parseInput(contracts.inviteInput, request.body, 'Send JSON { "email": "…" }.');
        reply.status(201);
        return accounts.invite(principalOf(request), body.email);
      }),
    );
  });
}

function secure(request: FastifyRequest, deps: ServerDeps): boolean {
  return deps.cookieSecure === "true" || (deps.cookieSecure === "auto" && request.protocol === "https");
}

function signedIn(request: FastifyRequest, reply: FastifyReply, deps: ServerDeps, result: SignedIn) {
  const maxAge = Math.max(0, Math.round((result.expiresAt.getTime() - deps.now().getTime()) / 1000));
  // Lax: the cookie rides top-level navigations back from a payment page, never cross-site POSTs.
  reply.header(
    "set-cookie",
    `${SESSION_COOKIE}=${result.sessionToken}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure(request, deps) ? "; Secure" : ""}`,
  );
  return { account: result.account, csrfToken: result.csrfToken };
}

function clearCookie(request: FastifyRequest, reply: FastifyReply, deps: ServerDeps) {
  reply.header("set-cookie", `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure(request, deps) ? "; Secure" : ""}`);
}
