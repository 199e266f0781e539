/**
 * The input contracts of every operation REST and tRPC share: one zod schema each, parsed by the
 * REST routes and the tRPC procedures alike, and the source of the OpenAPI document's request
 * bodies and query parameters. tRPC adds the id a REST route takes from its path.
 *
 * Tiers, plans, scopes and notification kinds stay plain strings so the services' messages name the
 * valid choices (INVALID_TIER and the like), the same on both APIs.
 */
import { UPSCALE_FACTORS } from "@bgr/core";
import { JOB_STATUSES, PIPELINE_ORDERS } from "@bgr/db";
import {
  ASPECT_PRESETS,
  BACKGROUND_FITS,
  COMPOSE_FORMATS,
  COMPOSE_SIZES,
  MAX_CROP_MARGIN_PERCENT,
  SHADOW_TYPES,
  TIER_NAMES,
  type BatchOptions,
  type ComposeRequest,
} from "@bgr/domain";
import { z } from "zod";
import { paginationFields } from "./pagination.ts";

const callbackUrl = z.string().describe("Signed POST (X-BGR-Signature: sha256=HMAC of the body) when the work settles").optional();
const tier = z.string().describe(`One of ${TIER_NAMES.join(", ")}`);

export const pageInput = z.object(paginationFields());
/** Query strings carry numbers as text. */
export const pageQuery = z.object(paginationFields(z.coerce.number()));

export const jobListInput = z.object({
  ...paginationFields(),
  status: z.enum(JOB_STATUSES).optional(),
  tier: z.enum(TIER_NAMES).optional(),
});
export const jobListQuery = jobListInput.extend(paginationFields(z.coerce.number()));

export const rerunInput = z.object({ tier });
export const pricingInput = z.object({ tier, imageCount: z.number().int().default(1) });
export const notificationPreferencesInput = z.object({
  disabled: z.array(z.string()).max(20).describe("Kinds of mail you do not want; [] turns every kind on"),
});

export const createApiKeyInput = z.object({
  name: z.string().describe("1 to 100 characters"),
  scopes: z.array(z.string()).max(10).optional(),
  defaultTier: tier.optional(),
});

export const buyPackInput = z.object({ pack: z.string().describe("A pack id from GET /credits/packs") });
export const subscribeInput = z.object({ plan: z.string().describe("A plan name from GET /subscription") });
export const cancelSubscriptionInput = z.object({ reason: z.string().max(500).optional() });
export const grantCreditsInput = z.object({
  amount: z.number().int(),
  reason: z.string().min(1).max(500),
  requestKey: z.string().max(100).optional(),
});
export const settlePaymentInput = z.object({ status: z.enum(["paid", "failed"]), reason: z.string().max(500).optional() });
export const inviteInput = z.object({ email: z.string().max(254) });

export const credentialsInput = z.object({ email: z.string().max(254), password: z.string().max(200) });
export const passwordResetInput = z.object({ email: z.string().max(254) });
export const passwordResetConfirmInput = z.object({ token: z.string().max(200), password: z.string().max(200) });

export const projectBatchInput = z.object({ projectId: z.string().min(1), tier, callbackUrl });
export const poseAutoRemoveInput = z.object({ generatedImageId: z.string().min(1), tier: tier.default("standard"), callbackUrl });
export const upscalerPipelineInput = z.object({
  imageId: z.string().min(1),
  pipeline: z.enum(PIPELINE_ORDERS),
  removalTier: tier.default("standard"),
  upscaleFactor: z
    .number()
    .refine((factor) => (UPSCALE_FACTORS as readonly number[]).includes(factor), {
      message: `upscaleFactor must be ${UPSCALE_FACTORS.join(" or ")}`,
    })
    .describe(`${UPSCALE_FACTORS.join(" or ")}`),
  callbackUrl,
});

const shadowOffset = z.number().min(-0.5).max(0.5);
const compositionFields = {
  background: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("transparent") }),
    z.object({ kind: z.literal("colour"), colour: z.string().describe("Hex, such as #ffffff") }),
    z.object({ kind: z.literal("image"), fit: z.enum(BACKGROUND_FITS) }),
    z.object({ kind: z.literal("blur"), strength: z.number().int().min(1).max(100) }),
  ]),
  shadow: z
    .object({
      type: z.enum(SHADOW_TYPES),
      opacity: z.number().min(0).max(1),
      offset: z.object({ x: shadowOffset, y: shadowOffset }).nullable(),
    })
    .nullable(),
  crop: z.object({ marginPercent: z.number().min(0).max(MAX_CROP_MARGIN_PERCENT) }).nullable(),
  aspect: z.enum(Object.keys(ASPECT_PRESETS) as [keyof typeof ASPECT_PRESETS]).nullable(),
  format: z.enum(COMPOSE_FORMATS),
  size: z.enum(Object.keys(COMPOSE_SIZES) as [keyof typeof COMPOSE_SIZES]),
};

/**
 * One composition of a finished result (POST /jobs/:id/compose, the JSON field `options`); the
 * engine checks the ranges again (validateLayout) as for every API.
 */
export const composeRequest = z.object(compositionFields) satisfies z.ZodType<ComposeRequest>;

/**
 * What a batch applies to every item (POST /batch, the JSON field `options`): the editor's background,
 * crop and format. Each part may be left out: transparent, uncropped PNG.
 */
export const batchOptions = z.object({
  background: compositionFields.background.default({ kind: "transparent" }),
  crop: compositionFields.crop.default(null),
  format: compositionFields.format.default("png"),
}) satisfies z.ZodType<BatchOptions, z.ZodTypeDef, unknown>;
