import type { FastifyInstance } from "fastify";
import type { RemoveOptions } from "@bgr/engine";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { readImageFromUrl } from "../http/image-url-input.ts";
import { readSingleUpload } from "../http/multipart.ts";
import { precheckUnlessReplay, runOnce } from "../http/idempotency.ts";
import { rateLimitHeaders } from "../http/rate-limit-headers.ts";
import { respond } from "../http/respond.ts";

/**
 * POST /remove: multipart `image` (or JSON with `imageUrl`), `tier`, the engine's output options, and
 * `wait=false` to answer before the work is done.
 */
export function removalRoutes(app: FastifyInstance, deps: ServerDeps) {
  app.post(
    "/remove",
    respond(async (request, reply) => {
      const userId = principalOf(request).userId;
      // With the tier sent before the image, a request that would be refused is refused before the image is read (or fetched).
      const precheck = async (before: Record<string, string>) => {
        if (before.tier)
          await precheckUnlessReplay(request, deps.idempotency, () => deps.services.removal.assertCanStart(userId, before.tier!));
      };
      const { file, fields } = request.isMultipart()
        ? await readSingleUpload(request, precheck)
        : await readImageFromUrl(request, deps.imageUrls, precheck);
      const removal = {
        userId,
        fileName: file.fileName,
        bytes: file.bytes,
        tier: fields.tier ?? "",
        options: outputOptions(fields),
      };
      // wait=false: 202 with the job as soon as it is charged; the client polls GET /jobs/:id.
      const answerEarly = fields.wait === "false";
      const job = await runOnce(request, reply, deps.idempotency, { fields, fileName: file.fileName, sha256: file.sha256 }, async () => {
        if (!answerEarly) return deps.services.removal.removeSingle(removal);
        const started = await deps.services.removal.startSingle(removal);
        reply.code(202); // before runOnce records the answer, so a replay answers 202 too
        return started;
      });
      // Replays too: the client learns where it stands whichever answer it gets.
      reply.headers(rateLimitHeaders(await deps.services.removal.rateLimitStatus(userId)));
      return job;
    }),
  );
}

/** Form fields → engine options; the engine validates values and says what is wrong. */
function outputOptions(fields: Record<string, string>): Omit<RemoveOptions, "tier"> {
  const options: Omit<RemoveOptions, "tier"> = {};
  if (fields.format) options.format = fields.format as RemoveOptions["format"];
  if (fields.background) options.background = fields.background;
  if (fields.result) options.result = fields.result as RemoveOptions["result"];
  if (fields.crop === "true" || fields.crop === "1") options.crop = { marginPx: Number(fields.cropMargin ?? 0) };
  return options;
}
