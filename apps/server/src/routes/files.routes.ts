import { DIRECT_DOWNLOAD_SECONDS } from "@bgr/core";
import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../deps.ts";
import { sendError, sendFailure } from "../http/errors.ts";
import { storedFileHeaders } from "../http/security-headers.ts";

const CONTENT_TYPES: Record<string, string> = {
  png: "image/png",
  webp: "image/webp",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  avif: "image/avif",
  tiff: "image/tiff",
  zip: "application/zip",
};

/** GET /files/<key>?expires&signature: stored objects behind expiring signed links (no session needed). */
export function filesRoutes(app: FastifyInstance, deps: ServerDeps) {
  app.get<{ Params: { "*": string }; Querystring: { expires?: string; signature?: string } }>("/files/*", async (request, reply) => {
    const key = request.params["*"];
    const { expires, signature } = request.query;
    if (!signature || !deps.signer.verify(key, Number(expires), signature, deps.now())) {
      return sendError(reply, 403, "FORBIDDEN", "This link is invalid or has expired. Ask for the job again to get a fresh link.");
    }
    const size = await deps.storage.size(key);
    if (size === null) return sendFailure(reply, await deps.services.retention.missingFileError(key));
    // A bucket that serves clients itself: send them there for a few minutes, not through this server.
    if (deps.storage.directDownloadUrl)
      return reply.redirect(await deps.storage.directDownloadUrl(key, { expiresInSeconds: DIRECT_DOWNLOAD_SECONDS }), 302);
    const extension = key.split(".").pop() ?? "";
    reply.header("Content-Type", CONTENT_TYPES[extension] ?? "application/octet-stream");
    reply.header("Content-Length", String(size));
    reply.header("Cache-Control", "private, max-age=3600");
    storedFileHeaders(reply);
    return reply.send(await deps.storage.get(key));
  });
}
