import { contracts } from "@bgr/api";
import type { IntegrationCaller, ProjectBatchRequest } from "@bgr/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ServerDeps } from "../deps.ts";
import { principalOf } from "../http/auth.ts";
import { runOnce } from "../http/idempotency.ts";
import { parseInput, respond } from "../http/respond.ts";

/** The Lumiku apps' entry points (spec 3.2.5 and 7); the tRPC `integrations.*` procedures are their twins. */
export function integrationsRoutes(app: FastifyInstance, deps: ServerDeps) {
  const { integrations } = deps.services;
  // The sibling app decides what the caller owns, from the caller's own credentials.
  const caller = (request: FastifyRequest): Omit<IntegrationCaller, "callbackUrl"> => ({
    userId: principalOf(request).userId,
    authorization: request.headers.authorization ?? "",
  });
  const projectHint = 'Send JSON { "projectId": "proj_abc123", "tier": "professional", "callbackUrl"?: "https://…" }.';

  const projectBatches = {
    "avatar-creator": (input: ProjectBatchRequest) => integrations.avatarCreatorBatch(input),
    "carousel-mix": (input: ProjectBatchRequest) => integrations.carouselMixBatch(input),
  };
  for (const [sibling, start] of Object.entries(projectBatches)) {
    app.post(
      `/integrations/${sibling}/batch`,
      respond(async (request, reply) => {
        const input = parseInput(contracts.projectBatchInput, request.body, projectHint);
        return runOnce(request, reply, deps.idempotency, input, async () => {
          const result = await start({ ...input, ...caller(request) });
          reply.status(201);
          return result;
        });
      }),
    );
  }
  app.post(
    "/integrations/pose-generator/auto-remove",
    respond(async (request, reply) => {
      const input = parseInput(
        contracts.poseAutoRemoveInput,
        request.body,
        'Send JSON { "generatedImageId": "gen_123", "tier"?: "standard" }.',
      );
      return runOnce(request, reply, deps.idempotency, input, () => integrations.poseAutoRemove({ ...input, ...caller(request) }));
    }),
  );
  app.post(
    "/integrations/image-upscaler/pipeline",
    respond(async (request, reply) => {
      const input = parseInput(
        contracts.upscalerPipelineInput,
        request.body,
        'Send JSON { "imageId": "img_123", "pipeline": "remove-then-upscale" | "upscale-then-remove", "removalTier": "professional", "upscaleFactor": 2 | 4 }.',
      );
      return runOnce(request, reply, deps.idempotency, input, async () => {
        const result = await integrations.upscalerPipeline({ ...input, ...caller(request) });
        // Accepted: the steps run on the workers; GET /jobs/:jobId shows progress and both URLs.
        reply.status(202);
        return result;
      });
    }),
  );
}
