import { assertScope } from "@bgr/domain";
import type { TierName } from "@bgr/engine";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { rateLimitHeaders } from "../http/rate-limit-headers.ts";
import { RemoveBgError, sendRemoveBgError } from "../removebg/removebg-errors.ts";
import { MAX_BODY_BYTES, readRemoveBgRequest } from "../removebg/removebg-input.ts";
import { parseRemoveBgParameters } from "../removebg/removebg-params.ts";

/** The tier a call runs at when neither `X-Tier` nor the API key (its default tier) names one. */
export const REMOVEBG_DEFAULT_TIER: TierName = "standard";

/**
 * remove.bg's API (`/v1.0/removebg`, `/v1.0/account`) over our services, so its clients only change
 * the host: same fields, replies, headers and error shapes. Charging, refunds and limits are
 * RemovalService's, exactly as for POST /remove.
 */
export async function removeBgRoutes(app: FastifyInstance, deps: ServerDeps) {
  // Its clients post urlencoded forms too; Fastify parses only JSON and (with the plugin) multipart.
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: MAX_BODY_BYTES },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    if (error.statusCode === 413)
      return sendRemoveBgError(
        reply,
        new RemoveBgError(400, "file_too_large", "File too large", "The request body is too large. Send at most a 10 MB image."),
      );
    if (error.statusCode === 415)
      return sendRemoveBgError(
        reply,
        new RemoveBgError(
          400,
          "invalid_parameter",
          "Unsupported content type",
          "Send multipart/form-data, application/json or application/x-www-form-urlencoded.",
        ),
      );
    if (error.statusCode && error.statusCode < 500)
      return sendRemoveBgError(reply, new RemoveBgError(400, "invalid_parameter", "Invalid request", error.message));
    return sendRemoveBgError(reply, error);
  });
  app.addHook("preHandler", async (request, reply) => {
    request.principal = await deps.authenticator.authenticate(request.headers);
    if (!request.principal) {
      return sendRemoveBgError(
        reply,
        new RemoveBgError(403, "auth_failed", "API Key invalid", "Send a valid API key in the X-Api-Key header."),
      );
    }
    try {
      assertScope(request.principal.scopes, "removal");
    } catch (error) {
      return sendRemoveBgError(reply, error);
    }
  });

  app.post("/removebg", { bodyLimit: MAX_BODY_BYTES }, (request, reply) =>
    removeBackground(deps, request, reply).catch((error: unknown) => sendRemoveBgError(reply, error)),
  );

  app.get("/account", async (request, reply) => {
    const { userId } = principalOf(request);
    const [account, subscription] = await Promise.all([deps.services.users.account(userId), deps.services.subscriptions.get(userId)]);
    // remove.bg's "free API calls" are our subscription's removals left today.
    const freeCalls = subscription.hasSubscription ? subscription.quotas.daily.remaining : 0;
    return reply.send({
      data: {
        attributes: {
          credits: { total: account.creditBalance, subscription: 0, payg: account.creditBalance, enterprise: 0 },
          api: { free_calls: freeCalls, sizes: "all" },
        },
      },
    });
  });
}

async function removeBackground(deps: ServerDeps, request: FastifyRequest, reply: FastifyReply) {
  const { userId } = principalOf(request);
  const input = await readRemoveBgRequest(request);
  // Every parameter is checked before anything is downloaded or charged.
  const parameters = parseRemoveBgParameters(input.fields);
  if (input.backgroundFile && parameters.layout.background)
    throw new RemoveBgError(
      400,
      "invalid_parameter",
      "Invalid parameter: bg_color",
      "Give either bg_color or a background image (bg_image_url / bg_image_file), not both.",
    );
  const [source, background] = await Promise.all([
    input.source.kind === "bytes"
      ? input.source
      : deps.imageUrls.fetch(input.source.url).then(({ bytes }) => ({ bytes, fileName: fileNameOf(input.source) })),
    input.backgroundFile ?? (parameters.bgImageUrl ? deps.imageUrls.fetch(parameters.bgImageUrl).then(({ bytes }) => bytes) : null),
  ]);
  if (background) parameters.layout.background = { image: background };

  const { job, result } = await deps.services.removal.removeWithResult({
    userId,
    fileName: source.fileName,
    bytes: source.bytes,
    tier: tierOf(request),
    options: { layout: parameters.layout },
  });
  const rate = await deps.services.removal.rateLimitStatus(userId);
  const box = result.foreground ?? { x: 0, y: 0, width: 0, height: 0 };
  reply.headers({
    "X-Type": parameters.type === "auto" ? "other" : parameters.type,
    "X-Tier": job.tier,
    "X-Width": String(result.width),
    "X-Height": String(result.height),
    "X-Credits-Charged": String(job.creditsUsed),
    "X-Foreground-Top": String(box.y),
    "X-Foreground-Left": String(box.x),
    "X-Foreground-Width": String(box.width),
    "X-Foreground-Height": String(box.height),
    ...rateLimitHeaders(rate),
  });
  if (wantsJson(request)) {
    return reply.send({
      data: {
        result_b64: result.data.toString("base64"),
        foreground_top: box.y,
        foreground_left: box.x,
        foreground_width: box.width,
        foreground_height: box.height,
      },
    });
  }
  return reply.type(result.mime).send(result.data);
}

function tierOf(request: FastifyRequest): string {
  const header = request.headers["x-tier"];
  return (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase() || principalOf(request).defaultTier || REMOVEBG_DEFAULT_TIER;
}

function wantsJson(request: FastifyRequest): boolean {
  return /\bapplication\/json\b/i.test(request.headers.accept ?? "");
}

function fileNameOf(source: { kind: "url"; url: string } | { kind: "bytes" }): string {
  if (source.kind !== "url") return "image";
  try {
    return decodeURIComponent(new URL(source.url).pathname.split("/").pop() || "image");
  } catch {
    return "image";
  }
}
