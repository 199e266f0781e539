import { BATCH_STATUSES, REMOVAL_STATUSES, PRICING_TYPES } from "@bgr/db";
import { API_PREFIX, TIER_NAMES } from "@bgr/domain";
import { buildDocument } from "./openapi/document.ts";
import { REST_OPERATIONS } from "./openapi/operations.ts";
import { REMOVEBG_OPENAPI_PATHS } from "./removebg/removebg.openapi.ts";

const tier = { type: "string", enum: [...TIER_NAMES] };
const nullableString = { type: ["string", "null"] };
const nullableTime = { type: ["string", "null"], format: "date-time" };

/** OpenAPI 3.1 description of every REST route, for clients that are not TypeScript (served at /docs). */
export const OPENAPI_DOCUMENT = buildDocument(
  {
    openapi: "3.1.0",
    info: {
      title: "Background Remover Pro",
      version: "1.0.0",
      description: "Background removal with four quality tiers. Authenticate with `Authorization: Bearer <platform JWT or API key>`.",
    },
    servers: [{ url: API_PREFIX }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" }, apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } },
      schemas: {
        Error: {
          type: "object",
          properties: {
            success: { const: false },
            error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } } },
          },
        },
        Job: {
          type: "object",
          properties: {
            jobId: { type: "string" },
            batchId: nullableString,
            status: { type: "string", enum: [...REMOVAL_STATUSES] },
            tier,
            originalFileName: { type: "string" },
            originalUrl: { type: "string", description: "Signed link, valid for an hour" },
            processedUrl: nullableString,
            filesExpiredAt: {
              type: "object",
              description: "When retention deleted the original / the result (RETENTION_*_DAYS); their links then answer 410 FILE_EXPIRED",
              properties: { original: nullableTime, result: nullableTime },
            },
            creditsUsed: { type: "integer" },
            pricingType: { type: "string", enum: [...PRICING_TYPES] },
            processingTimeMs: { type: ["integer", "null"] },
            errorMessage: nullableString,
            refunded: { type: "boolean" },
            metadata: {
              type: "object",
              properties: {
                originalSize: { type: "integer" },
                processedSize: { type: ["integer", "null"] },
                width: { type: ["integer", "null"] },
                height: { type: ["integer", "null"] },
                format: nullableString,
              },
            },
            createdAt: { type: "string", format: "date-time" },
            completedAt: nullableTime,
            source: {
              type: ["object", "null"],
              description: "The Lumiku app and its id, for work sent through /integrations",
              properties: { app: { type: "string" }, ref: { type: "string" } },
            },
            pipeline: {
              type: ["object", "null"],
              description: "Image Upscaler pipelines only",
              properties: {
                order: { type: "string" },
                upscaleFactor: { type: "integer" },
                intermediateUrl: nullableString,
                finalUrl: nullableString,
              },
            },
          },
        },
        Batch: {
          type: "object",
          properties: {
            batchId: { type: "string" },
            status: { type: "string", enum: [...BATCH_STATUSES] },
            tier,
            totalImages: { type: "integer" },
            estimatedCompletionMinutes: { type: ["integer", "null"] },
            progress: {
              type: "object",
              description: "percentage counts items done (processed or failed); a cancelled batch stays below 100",
              properties: {
                totalImages: { type: "integer" },
                processedImages: { type: "integer" },
                failedImages: { type: "integer" },
                cancelledImages: { type: "integer" },
                percentage: { type: "integer" },
              },
            },
            pricing: {
              type: "object",
              description:
                "The quote (volume discount included), totalCredits charged, and refundedCredits / netCredits once every item settled (null before)",
            },
            timing: { type: "object", properties: { startedAt: nullableTime, estimatedCompletionAt: nullableTime } },
            zipUrl: { ...nullableString, description: "Signed link to the ZIP once the batch has finished" },
            zipSizeBytes: { type: ["integer", "null"] },
            zipExpiredAt: nullableTime,
            createdAt: { type: "string", format: "date-time" },
            completedAt: nullableTime,
            cancelledAt: nullableTime,
            source: { type: ["object", "null"], properties: { app: { type: "string" }, ref: { type: "string" } } },
            items: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  jobId: { type: "string" },
                  originalFileName: { type: "string" },
                  status: { type: "string", enum: [...REMOVAL_STATUSES] },
                  processedUrl: nullableString,
                  errorMessage: nullableString,
                },
              },
            },
          },
        },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
  },
  REST_OPERATIONS,
  REMOVEBG_OPENAPI_PATHS,
);
