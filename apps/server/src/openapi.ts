import { API_KEY_SCOPES, API_PREFIX, NOTIFICATION_KINDS, PAGINATION, TIER_NAMES } from "@bgr/domain";
import { REMOVEBG_OPENAPI_PATHS } from "./removebg/removebg.openapi.ts";
import { RESULT_EDITOR_OPENAPI_PATHS } from "./routes/result-editor.openapi.ts";

/** OpenAPI 3.1 description of the REST routes, for clients that are not TypeScript (served at /docs). */
const error = { $ref: "#/components/schemas/Error" };
const ok = (data: object) => ({ type: "object", required: ["success", "data"], properties: { success: { const: true }, data } });
const json = (schema: object) => ({ "application/json": { schema } });
const errors = {
  "400": { description: "Invalid tier, file over 10 MB, unsupported or corrupt image, bad options", content: json(error) },
  "401": { description: "No valid token or API key", content: json(error) },
  "402": { description: "Not enough credits; details.required and details.available say by how much", content: json(error) },
  "403": { description: "Tier not allowed", content: json(error) },
  "404": { description: "No such job in your account", content: json(error) },
  "429": { description: "Rate limited; see Retry-After", content: json(error) },
  "503": { description: "Server saturated; see Retry-After", content: json(error) },
};
const tier = { type: "string", enum: [...TIER_NAMES] };
const upstreamErrors = {
  "404": { description: "The sibling app has no such id for your token (its 404 is ours)", content: json(error) },
  "403": { description: "The sibling app refused your credentials (integration calls need your Lumiku platform token)", content: json(error) },
  "501": { description: "This deployment is not connected to that Lumiku app (its LUMIKU_*_URL is unset)", content: json(error) },
  "502": { description: "The sibling app failed, answered something unusable, or pointed at a host we may not fetch from; nothing was charged", content: json(error) },
  "504": { description: "The sibling app did not answer in time; nothing was charged", content: json(error) },
};
const callbackUrl = { type: "string", description: "Signed POST (X-BGR-Signature: sha256=HMAC of the body) when the work settles" };
const projectBatch = (count: string, app: string) => ({
  post: {
    summary: `Remove the backgrounds of every image of a ${app} project: an ordinary batch (a project of one image becomes a single job)`,
    requestBody: { content: json({ type: "object", required: ["projectId", "tier"], properties: { projectId: { type: "string" }, tier, callbackUrl } }) },
    responses: {
      "201": {
        description: "Batch started and charged (volume discount included); follow it with GET /batch/{batchId}",
        content: json(ok({ type: "object", properties: { batchId: { type: ["string", "null"] }, jobId: { type: ["string", "null"] }, projectId: { type: "string" }, [count]: { type: "integer" }, totalCredits: { type: "integer" }, discountPercentage: { type: "integer" }, status: { type: "string" } } })),
      },
      ...errors,
      ...upstreamErrors,
    },
  },
});
const job = { $ref: "#/components/schemas/Job" };

export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: { title: "Background Remover Pro", version: "1.0.0", description: "Background removal with four quality tiers. Authenticate with `Authorization: Bearer <platform JWT or API key>`." },
  servers: [{ url: API_PREFIX }],
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" }, apiKey: { type: "apiKey", in: "header", name: "X-API-Key" } },
    schemas: {
      Error: {
        type: "object",
        properties: { success: { const: false }, error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } } } },
      },
      Job: {
        type: "object",
        properties: {
          jobId: { type: "string" },
          status: { type: "string", enum: ["pending", "processing", "completed", "failed", "cancelled"] },
          tier,
          originalUrl: { type: "string", description: "Signed link, valid for an hour" },
          processedUrl: { type: ["string", "null"] },
          filesExpiredAt: {
            type: "object",
            description: "When retention deleted the original / the result (RETENTION_*_DAYS); their links then answer 410 FILE_EXPIRED",
            properties: { original: { type: ["string", "null"], format: "date-time" }, result: { type: ["string", "null"], format: "date-time" } },
          },
          creditsUsed: { type: "integer" },
          pricingType: { type: "string", enum: ["credits", "subscription"] },
          processingTimeMs: { type: ["integer", "null"] },
          metadata: { type: "object", properties: { originalSize: { type: "integer" }, processedSize: { type: "integer" }, width: { type: "integer" }, height: { type: "integer" }, format: { type: "string" } } },
          source: { type: ["object", "null"], description: "The Lumiku app and its id, for work sent through /integrations", properties: { app: { type: "string" }, ref: { type: "string" } } },
          pipeline: {
            type: ["object", "null"],
            description: "Image Upscaler pipelines only",
            properties: { order: { type: "string" }, upscaleFactor: { type: "integer" }, intermediateUrl: { type: ["string", "null"] }, finalUrl: { type: ["string", "null"] } },
          },
        },
      },
    },
  },
  security: [{ bearer: [] }, { apiKey: [] }],
  paths: {
    "/remove": {
      post: {
        summary: "Remove the background of one image",
        requestBody: {
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                required: ["image", "tier"],
                properties: {
                  image: { type: "string", format: "binary", description: "JPEG, PNG, WebP, AVIF, TIFF or GIF, at most 10 MB" },
                  tier,
                  format: { type: "string", enum: ["png", "webp", "jpg"], default: "png" },
                  background: { type: "string", description: "transparent (default) or a hex colour; jpg needs a colour" },
                  result: { type: "string", enum: ["cutout", "mask"], default: "cutout" },
                  crop: { type: "boolean", description: "Crop to the subject" },
                  cropMargin: { type: "integer", minimum: 0 },
                  wait: { type: "boolean", default: true, description: "false: answer 202 with the charged, processing job at once; poll GET /jobs/{jobId}" },
                },
              },
            },
          },
        },
        responses: {
          "200": { description: "The finished job", content: json(ok(job)) },
          "202": { description: "wait=false: the job, charged and processing", content: json(ok(job)) },
          ...errors,
        },
      },
    },
    "/jobs": {
      get: {
        summary: "Your jobs, newest first",
        parameters: [
          { name: "page", in: "query", schema: { type: "integer", minimum: 1, maximum: PAGINATION.maxPage } },
          { name: "pageSize", in: "query", schema: { type: "integer", minimum: 1, maximum: PAGINATION.maxPageSize } },
          { name: "status", in: "query", schema: { type: "string" } },
          { name: "tier", in: "query", schema: tier },
        ],
        responses: { "200": { description: "A page of jobs", content: json(ok({ type: "object", properties: { items: { type: "array", items: job }, page: { type: "integer" }, pageSize: { type: "integer" }, total: { type: "integer" } } })) }, ...errors },
      },
    },
    "/jobs/{id}": { get: { summary: "One of your jobs", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "The job", content: json(ok(job)) }, ...errors } } },
    "/jobs/{id}/queue": {
      get: {
        summary: "Where an unfinished job stands: jobs ahead of it and a rough wait in seconds (null once it has settled)",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "{ ahead, etaSeconds } or null", content: json(ok({ type: ["object", "null"], properties: { ahead: { type: "integer" }, etaSeconds: { type: ["integer", "null"] } } })) }, ...errors },
      },
    },
    "/jobs/{id}/links": {
      get: {
        summary: "Fresh signed links to the job's original and result (null once a file is no longer stored); links in other answers expire after an hour",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: {
          "200": {
            description: "The links",
            content: json(ok({ type: "object", properties: { jobId: { type: "string" }, originalUrl: { type: ["string", "null"] }, processedUrl: { type: ["string", "null"] }, expiresAt: { type: "string", format: "date-time" } } })),
          },
          ...errors,
        },
      },
    },
    "/jobs/{id}/rerun": {
      post: {
        summary: "Remove the background of the job's stored original again at another tier: a new job, charged like POST /remove (Idempotency-Key honoured)",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        requestBody: { content: json({ type: "object", required: ["tier"], properties: { tier } }) },
        responses: { "200": { description: "The new, finished job", content: json(ok(job)) }, ...errors },
      },
    },
    "/pricing": {
      get: {
        summary: "The tiers: credits per image and the model serving each now (model packs installed on this deployment upgrade them; remote when a remote provider makes the matte)",
        responses: { "200": { description: "{ tiers: [{ tier, credits, model, remote }] }", content: json(ok({ type: "object" })) }, ...errors },
      },
    },
    "/pricing/calculate": {
      post: {
        summary: "Price of a single image or a batch, volume discount included",
        requestBody: { content: json({ type: "object", required: ["tier"], properties: { tier, imageCount: { type: "integer", minimum: 1, maximum: 500, default: 1 } } }) },
        responses: { "200": { description: "Pricing", content: json(ok({ type: "object" })) }, ...errors },
      },
    },
    "/stats": { get: { summary: "Your usage: jobs by tier and status, credits spent, mean processing time", responses: { "200": { description: "Stats", content: json(ok({ type: "object" })) }, ...errors } } },
    "/api-keys": {
      get: { summary: "Your API keys: prefix, name, scopes, created, last used, revoked (never the secret). Scope: keys", responses: { "200": { description: "{ items }", content: json(ok({ type: "object" })) }, ...errors } },
      post: {
        summary: "Create an API key; the secret (key) is in this answer only. Scope: keys, and only scopes the caller holds",
        requestBody: { content: json({ type: "object", required: ["name"], properties: { name: { type: "string", maxLength: 100 }, scopes: { type: "array", items: { type: "string", enum: [...API_KEY_SCOPES] } }, defaultTier: tier } }) },
        responses: { "201": { description: "The key, with its secret", content: json(ok({ type: "object" })) }, ...errors },
      },
    },
    "/api-keys/{id}": {
      delete: { summary: "Revoke an API key: it answers 401 from the next request. Scope: keys", responses: { "200": { description: "The revoked key", content: json(ok({ type: "object" })) }, ...errors } },
    },
    "/me": { get: { summary: "Your account and credit balance", responses: { "200": { description: "Account", content: json(ok({ type: "object" })) }, ...errors } } },
    "/me/notifications": {
      get: { summary: "Which notification mails you get (batch completed, batch failed): { kinds: [{ kind, enabled }] }", responses: { "200": { description: "Preferences", content: json(ok({ type: "object" })) }, ...errors } },
      put: {
        summary: "Choose the notification mails you do not want; [] turns every kind on",
        requestBody: { content: json({ type: "object", required: ["disabled"], properties: { disabled: { type: "array", items: { type: "string", enum: [...NOTIFICATION_KINDS] } } } }) },
        responses: { "200": { description: "Preferences", content: json(ok({ type: "object" })) }, ...errors },
      },
    },
    "/subscription": {
      get: {
        summary: "Your plan, today's quota (resetsAt: next midnight in QUOTA_TIMEZONE) and billing; without a plan, the plans on offer",
        responses: { "200": { description: "hasSubscription true (plan, status, pricing, quotas, allowedTiers, billing) or false (availablePlans); pendingPayment when one awaits", content: json(ok({ type: "object" })) }, ...errors },
      },
      post: {
        summary: "Subscribe: creates a pending payment; the plan starts once the payment is confirmed",
        requestBody: { content: json({ type: "object", required: ["plan"], properties: { plan: { type: "string", enum: ["starter", "pro"] } } }) },
        responses: {
          "201": { description: "{ payment, instructions, subscription }", content: json(ok({ type: "object" })) },
          "200": { description: "A cancelled plan of the same name was resumed (payment null)", content: json(ok({ type: "object" })) },
          "409": { description: "A plan already runs; the message says what to do", content: json(error) },
          ...errors,
        },
      },
      delete: {
        summary: "Cancel: no renewal; the plan keeps paying until the period ends",
        requestBody: { required: false, content: json({ type: "object", properties: { reason: { type: "string" } } }) },
        responses: { "200": { description: "The subscription after cancelling", content: json(ok({ type: "object" })) }, ...errors },
      },
    },
    "/integrations/avatar-creator/batch": projectBatch("totalAvatars", "Avatar Creator"),
    "/integrations/carousel-mix/batch": projectBatch("totalSlides", "Carousel Mix"),
    "/integrations/pose-generator/auto-remove": {
      post: {
        summary: "Remove the background of a Pose Generator image (a subscription may pay for it)",
        requestBody: { content: json({ type: "object", required: ["generatedImageId"], properties: { generatedImageId: { type: "string" }, tier: { ...tier, default: "standard" }, callbackUrl } }) },
        responses: {
          "200": { description: "The finished job", content: json(ok({ type: "object", properties: { jobId: { type: "string" }, generatedImageId: { type: "string" }, status: { type: "string" }, processedUrl: { type: "string" }, creditsUsed: { type: "integer" }, pricingType: { type: "string" } } })) },
          ...errors,
          ...upstreamErrors,
        },
      },
    },
    "/integrations/image-upscaler/pipeline": {
      post: {
        summary: "Two-step job with Image Upscaler Pro: the removal is charged here once, the upscale is billed by the upscaler",
        requestBody: {
          content: json({
            type: "object",
            required: ["imageId", "pipeline", "upscaleFactor"],
            properties: { imageId: { type: "string" }, pipeline: { type: "string", enum: ["remove-then-upscale", "upscale-then-remove"] }, removalTier: { ...tier, default: "standard" }, upscaleFactor: { type: "integer", enum: [2, 4] }, callbackUrl },
          }),
        },
        responses: {
          "202": { description: "Accepted; GET /jobs/{jobId} shows status and pipeline.intermediateUrl / pipeline.finalUrl", content: json(ok({ type: "object" })) },
          ...errors,
          ...upstreamErrors,
        },
      },
    },
    "/subscription/webhook": {
      post: {
        summary: "Payment outcome from the payment provider. No user auth: X-Signature = hex HMAC-SHA256 of the raw body with PAYMENT_WEBHOOK_SECRET",
        security: [],
        requestBody: { content: json({ type: "object", required: ["paymentId", "status"], properties: { paymentId: { type: "string" }, status: { type: "string", enum: ["paid", "failed"] }, reason: { type: "string" } } }) },
        responses: {
          "200": { description: "{ paymentId, status, changed } (changed false for a repeated report)", content: json(ok({ type: "object" })) },
          "401": { description: "Missing or wrong signature", content: json(error) },
          "404": { description: "Unknown payment", content: json(error) },
          "409": { description: "The payment already has the opposite outcome", content: json(error) },
        },
      },
    },
    "/credits/packs": {
      get: { summary: "Credit packs with Rupiah prices (priceLabel \"Rp 50.000\"), the per-credit price and the creditCost line", responses: { "200": { description: "{ packs, creditCost }", content: json(ok({ type: "object" })) }, ...errors } },
    },
    "/credits/purchases": {
      post: {
        summary: "Buy a credit pack: a pending payment through the configured provider; the credits land once it is paid",
        requestBody: { content: json({ type: "object", required: ["pack"], properties: { pack: { type: "string", enum: ["pack_100", "pack_500", "pack_2000"] } } }) },
        responses: { "201": { description: "{ payment, instructions }", content: json(ok({ type: "object" })) }, ...errors },
      },
    },
    "/payments": { get: { summary: "Your payments: status pending | paid | failed | expired, amountLabel, checkoutUrl, nextStep", responses: { "200": { description: "Newest first", content: json(ok({ type: "array" })) }, ...errors } } },
    "/payments/{id}": { get: { summary: "One of your payments", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "The payment", content: json(ok({ type: "object" })) }, ...errors } } },
    "/payments/{id}/receipt": {
      get: {
        summary: "The receipt of one of your paid payments, as an HTML page (print it to PDF)",
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "download", in: "query", schema: { type: "string", enum: ["1"] }, description: "1: sent as an attachment" },
        ],
        responses: { "200": { description: "The receipt", content: { "text/html": { schema: { type: "string" } } } }, "409": { description: "Not paid (yet)" }, ...errors },
      },
    },
    "/payments/webhook": {
      post: {
        summary: "Payment outcome from the provider, authenticated by its signature (manual: X-Signature; invoice gateway: X-Callback-Signature, HMAC-SHA256 of the raw body). Credits land once; replays change nothing",
        security: [],
        responses: {
          "200": { description: "{ paymentId, status, changed }", content: json(ok({ type: "object" })) },
          "401": { description: "Missing or wrong signature", content: json(error) },
          "404": { description: "Unknown payment", content: json(error) },
          "409": { description: "Another outcome already, or a paid amount that differs from the payment's", content: json(error) },
        },
      },
    },
    "/auth/sign-up": { post: { summary: "Create a standalone account { email, password } (SIGNUP_MODE); sets the HttpOnly session cookie, answers { account, csrfToken }", security: [], responses: { "201": { description: "Signed in", content: json(ok({ type: "object" })) }, ...errors } } },
    "/auth/sign-in": { post: { summary: "Sign in { email, password }; the same 401 for a wrong password and an unknown email; 429 after repeated failures", security: [], responses: { "200": { description: "Signed in", content: json(ok({ type: "object" })) }, ...errors } } },
    "/auth/session": { get: { summary: "The signed-in account and the session's csrfToken (send it as X-CSRF-Token with cookie-authenticated changes)", responses: { "200": { description: "The session", content: json(ok({ type: "object" })) }, ...errors } } },
    "/auth/sign-out": { post: { summary: "End this session", responses: { "200": { description: "Signed out", content: json(ok({ type: "object" })) }, ...errors } } },
    "/auth/sign-out-everywhere": { post: { summary: "End every session of the account", responses: { "200": { description: "{ ended }", content: json(ok({ type: "object" })) }, ...errors } } },
    "/auth/password-reset": { post: { summary: "Mail a single-use reset link (30 minutes); always the same 202", security: [], responses: { "202": { description: "Accepted", content: json(ok({ type: "object" })) }, ...errors } } },
    "/auth/password-reset/confirm": { post: { summary: "{ token, password }: set a new password and end every session", security: [], responses: { "200": { description: "Changed", content: json(ok({ type: "object" })) }, ...errors } } },
    ...RESULT_EDITOR_OPENAPI_PATHS,
    ...REMOVEBG_OPENAPI_PATHS,
  },
} as const;
