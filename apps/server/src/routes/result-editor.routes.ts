import { layoutOf } from "@bgr/core";
import { DomainError } from "@bgr/domain";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { parseComposeRequest } from "../http/compose-request.ts";
import { readEditorUpload } from "../http/editor-upload.ts";
import { sendFailure } from "../http/errors.ts";
import { respond } from "../http/respond.ts";

/**
 * The result editor (#17): a finished removal's mattes (the original kept, edits saved as versions)
 * and its composition on the server. Composing is free; the removal was charged.
 */
export function resultEditorRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { editor } = deps.services;
  const userId = (request: FastifyRequest) => principalOf(request).userId;

  app.get<{ Params: { id: string } }>(
    "/jobs/:id/versions",
    respond(async (request) => editor.versions(userId(request), request.params.id)),
  );

  app.get<{ Params: { id: string } }>("/jobs/:id/matte", async (request, reply) => {
    try {
      const matte = await editor.matte(userId(request), request.params.id);
      return reply.header("X-Matte-Version", String(matte.version)).header("Cache-Control", "no-store").type(matte.mime).send(matte.bytes);
    } catch (error) {
      return sendFailure(reply, error);
    }
  });

  app.post<{ Params: { id: string } }>(
    "/jobs/:id/mattes",
    respond(async (request, reply) => {
      const { file } = await readEditorUpload(request, "matte");
      if (!file) throw new DomainError("INVALID_IMAGE", 'No matte received: send the edited matte as the PNG file "matte".');
      const saved = await editor.saveMatte(userId(request), request.params.id, file);
      reply.status(201);
      return saved;
    }),
  );

  app.post<{ Params: { id: string } }>("/jobs/:id/compose", async (request, reply) => {
    try {
      const { fields, file } = await readEditorUpload(request, "background");
      const options = parseComposeRequest(fields.options);
      const result = await editor.compose(userId(request), request.params.id, layoutOf(options, file));
      const name = `${result.originalFileName.replace(/\.[^.]+$/, "")}-edited.${result.format}`;
      return reply
        .headers({
          "X-Width": String(result.width),
          "X-Height": String(result.height),
          "X-Matte-Version": String(result.version),
          "Cache-Control": "no-store",
          "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
        })
        .type(result.mime)
        .send(result.data);
    } catch (error) {
      return sendFailure(reply, error);
    }
  });
}
