import { rm } from "node:fs/promises";
import { DIRECT_DOWNLOAD_SECONDS } from "@bgr/core";
import { contracts } from "@bgr/api";
import { PAGINATION_HINT } from "@bgr/domain";
import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { stageBatchUpload } from "../http/batch-upload.ts";
import { parseBatchOptions } from "../http/compose-request.ts";
import { sendError, sendFailure } from "../http/errors.ts";
import { precheckUnlessReplay, runOnce } from "../http/idempotency.ts";
import { rateLimitHeaders } from "../http/rate-limit-headers.ts";
import { parseInput, respond } from "../http/respond.ts";
import { storedFileHeaders } from "../http/security-headers.ts";

/** Batches: start, read, list, cancel, download. Handlers parse and call the batch service. */
export function batchRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { batches } = deps.services;

  app.post(
    "/batch",
    respond(async (request, reply) => {
      const userId = principalOf(request).userId;
      // With the tier (and options) sent before the images, a batch that cannot be paid, or whose options
      // are wrong, stops before its files are staged.
      const upload = await stageBatchUpload(request, deps.stagingDir, async (fields, imageCount) => {
        parseBatchOptions(fields.options);
        if (fields.tier)
          await precheckUnlessReplay(request, deps.idempotency, () => batches.assertCanStart(userId, fields.tier!, imageCount));
      });
      const content = {
        fields: upload.fields,
        files: upload.files.map((file, index) => [file.name, upload.sha256s[index]]),
        background: upload.background?.sha256 ?? null,
      };
      try {
        const batch = await runOnce(request, reply, deps.idempotency, content, async () => {
          const created = await batches.create({
            userId,
            tier: upload.fields.tier ?? "",
            files: upload.files,
            name: upload.fields.name,
            callbackUrl: upload.fields.callbackUrl || undefined,
            options: parseBatchOptions(upload.fields.options),
            backgroundImage: upload.background,
          });
          reply.status(201);
          return created;
        });
        reply.headers(rateLimitHeaders(await batches.rateLimitStatus(userId)));
        return batch;
      } finally {
        // Before the answer goes out, so a client never sees a staging folder outlive its request.
        await rm(upload.dir, { recursive: true, force: true });
      }
    }),
  );

  app.get(
    "/batches",
    respond(async (request) => {
      const query = parseInput(contracts.pageQuery, request.query, PAGINATION_HINT);
      return batches.list(principalOf(request).userId, query.page, query.pageSize);
    }),
  );
  app.get<{ Params: { id: string } }>(
    "/batch/:id",
    respond(async (request) => batches.get(principalOf(request).userId, request.params.id)),
  );
  app.delete<{ Params: { id: string } }>(
    "/batch/:id",
    respond(async (request) => batches.cancel(principalOf(request).userId, request.params.id)),
  );

  app.get<{ Params: { id: string } }>("/batch/:id/download", async (request, reply) => {
    try {
      const { key, size } = await batches.zip(principalOf(request).userId, request.params.id);
      if (deps.storage.directDownloadUrl) {
        return reply.redirect(
          await deps.storage.directDownloadUrl(key, { expiresInSeconds: DIRECT_DOWNLOAD_SECONDS, fileName: `${request.params.id}.zip` }),
          302,
        );
      }
      reply.header("Accept-Ranges", "bytes");
      const range = parseRange(request.headers.range, size);
      if (range === "invalid") {
        reply.header("Content-Range", `bytes */${size}`);
        return sendError(
          reply,
          416,
          "INVALID_RANGE",
          `Send one range within the file's ${size} bytes, e.g. "Range: bytes=0-1048575", or no Range header for the whole file.`,
        );
      }
      reply.header("Content-Type", "application/zip");
      reply.header("Content-Disposition", `attachment; filename="${request.params.id}.zip"`);
      storedFileHeaders(reply);
      if (range) {
        reply.status(206);
        reply.header("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
        reply.header("Content-Length", String(range.end - range.start + 1));
        return reply.send(await deps.storage.get(key, range));
      }
      reply.header("Content-Length", String(size));
      return reply.send(await deps.storage.get(key));
    } catch (error) {
      return sendFailure(reply, error);
    }
  });
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; null when absent; "invalid" when malformed, multiple or unsatisfiable. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | "invalid" {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return "invalid";
  let start: number, end: number;
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start > end || start >= size ? "invalid" : { start, end };
}
