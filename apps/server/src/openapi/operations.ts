/**
 * Every REST route, once: what it does, which contract its input is parsed with, and what it answers.
 * The document (document.ts) is generated from this table; a test checks that every route the
 * server registers is here, and that the result is a valid OpenAPI 3.1 document.
 */
import { contracts } from "@bgr/api";
import { TIER_NAMES } from "@bgr/domain";
import { jsonSchemaOf, type JsonSchema, type OperationDoc, type ResponseDoc } from "./document.ts";

const error = { $ref: "#/components/schemas/Error" };
const job = { $ref: "#/components/schemas/Job" };
const batch = { $ref: "#/components/schemas/Batch" };
const object = { type: "object" };
const ok = (data: JsonSchema): JsonSchema => ({
  type: "object",
  required: ["success", "data"],
  properties: { success: { const: true }, data },
});
const answer = (description: string, data: JsonSchema = object): ResponseDoc => ({ description, schema: ok(data) });
const failure = (description: string): ResponseDoc => ({ description, schema: error });
const tier = { type: "string", enum: [...TIER_NAMES] };
const binary = { type: "string", format: "binary" };
const noUserAuth: JsonSchema[] = [];

/** What any authenticated route may answer besides its own outcomes. */
const errors: Record<string, ResponseDoc> = {
  "400": failure("Invalid input: the message says what to send"),
  "401": failure("No valid token, API key or session"),
  "403": failure("Not allowed: the key lacks the route's scope, the tier is not allowed, or the role is not admin"),
  "404": failure("No such thing in your account"),
  "429": failure("Rate limited; see Retry-After"),
};
/** What routes that charge may answer besides. */
const chargeErrors: Record<string, ResponseDoc> = {
  ...errors,
  "402": failure("Not enough credits; details.required and details.available say by how much"),
  "503": failure("Server saturated; see Retry-After"),
};
const upstreamErrors: Record<string, ResponseDoc> = {
  "404": failure("The sibling app has no such id for your token (its 404 is ours)"),
  "403": failure("The sibling app refused your credentials (integration calls need your Lumiku platform token)"),
  "501": failure("This deployment is not connected to that Lumiku app (its LUMIKU_*_URL is unset)"),
  "502": failure("The sibling app failed, answered something unusable, or pointed at a host we may not fetch from; nothing was charged"),
  "504": failure("The sibling app did not answer in time; nothing was charged"),
};
/** What the result editor's routes may answer besides. */
const editorErrors: Record<string, ResponseDoc> = {
  ...errors,
  "400": failure("Bad options, or a matte of another size than the photo; the message says what to send"),
  "409": failure("The job is unfinished, or its result was cropped, laid out or upscaled, so it cannot be edited"),
  "410": failure("Retention deleted the job's files"),
};
const matteVersion = {
  type: "object",
  properties: { version: { type: "integer" }, edited: { type: "boolean" }, createdAt: { type: "string", format: "date-time" } },
};
const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  description: "A retry with the same key gets the first answer and is never charged again",
  schema: { type: "string", maxLength: 255 },
};

const removalFields = {
  format: { type: "string", enum: ["png", "webp", "jpg"], default: "png" },
  background: { type: "string", description: "transparent (default) or a hex colour; jpg needs a colour" },
  result: { type: "string", enum: ["cutout", "mask"], default: "cutout" },
  crop: { type: "boolean", description: "Crop to the subject" },
  cropMargin: { type: "integer", minimum: 0 },
  wait: { type: "boolean", default: true, description: "false: answer 202 with the charged, processing job at once; poll GET /jobs/{id}" },
};

const projectBatch = (app: string, count: string): Omit<OperationDoc, "path"> => ({
  method: "post",
  summary: `Remove the backgrounds of every image of a ${app} project: an ordinary batch (a project of one image becomes a single job)`,
  body: contracts.projectBatchInput,
  parameters: [idempotencyKey],
  responses: {
    "201": answer("Batch started and charged (volume discount included); follow it with GET /batch/{id}", {
      type: "object",
      properties: {
        batchId: { type: ["string", "null"] },
        jobId: { type: ["string", "null"] },
        projectId: { type: "string" },
        [count]: { type: "integer" },
        totalCredits: { type: "integer" },
        discountPercentage: { type: "integer" },
        status: { type: "string" },
      },
    }),
    ...chargeErrors,
    ...upstreamErrors,
  },
});

export const REST_OPERATIONS: readonly OperationDoc[] = [
  // Health and metrics, at the root.
  {
    method: "get",
    path: "/health",
    atRoot: true,
    security: noUserAuth,
    summary: "Liveness: the process answers",
    responses: { "200": { description: "{ status: ok }", schema: object } },
  },
  {
    method: "get",
    path: "/health/ready",
    atRoot: true,
    security: noUserAuth,
    summary: "Readiness: the database and the queue answer within 3 s",
    responses: {
      "200": { description: "{ status: ready, checks }", schema: object },
      "503": { description: "{ status: unavailable, checks } naming what is unreachable", schema: object },
    },
  },
  {
    method: "get",
    path: "/metrics",
    atRoot: true,
    security: [{ bearer: [] }],
    summary: "Prometheus metrics, behind METRICS_TOKEN (404 while it is unset)",
    responses: {
      "200": { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } },
      "401": failure("Missing or wrong token"),
      "404": failure("Metrics are off"),
    },
  },

  {
    method: "get",
    path: "/docs",
    security: noUserAuth,
    summary: "This document",
    responses: { "200": { description: "OpenAPI 3.1", schema: object } },
  },
  {
    method: "get",
    path: "/files/*",
    security: noUserAuth,
    summary: "A stored file behind an expiring signed link (the links in jobs and batches); no session needed",
    parameters: [
      { name: "expires", in: "query", required: true, schema: { type: "string" } },
      { name: "signature", in: "query", required: true, schema: { type: "string" } },
    ],
    responses: {
      "200": { description: "The file", content: { "application/octet-stream": { schema: binary } } },
      "403": failure("Link expired or signature wrong: ask for the job again for a fresh link"),
      "404": failure("No such file"),
      "410": failure("FILE_EXPIRED: retention deleted the file; the job's record stays"),
    },
  },

  // Removal, batches and jobs (scope: removal).
  {
    method: "post",
    path: "/remove",
    summary: "Remove the background of one image (multipart upload, or JSON naming an image URL)",
    parameters: [idempotencyKey],
    content: {
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["image", "tier"],
          properties: { image: { ...binary, description: "JPEG, PNG, WebP, AVIF, TIFF or GIF, at most 10 MB" }, tier, ...removalFields },
        },
      },
      "application/json": {
        schema: {
          type: "object",
          required: ["imageUrl", "tier"],
          properties: { imageUrl: { type: "string", description: "Fetched from public hosts only" }, tier, ...removalFields },
        },
      },
    },
    responses: {
      "200": answer("The finished job", job),
      "202": answer("wait=false: the job, charged and processing", job),
      ...chargeErrors,
    },
  },
  {
    method: "post",
    path: "/batch",
    summary: "Start a batch of 2 to 500 images at one tier, charged up front at the volume price; failed items are refunded",
    parameters: [idempotencyKey],
    content: {
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["tier", "images"],
          properties: {
            tier,
            images: {
              type: "array",
              items: binary,
              description: "Each at most 10 MB; send tier first so a batch that cannot be paid stops early",
            },
            name: { type: "string", description: "Your name for the batch; absent: its first file and the count" },
            options: {
              type: "string",
              description:
                "JSON of what every item's result gets: a background (transparent, a colour, an image, or the photo blurred), a crop to the subject with a margin, and the format (the ZIP's files have its extension). Absent: transparent, uncropped PNGs. The price is the same",
              contentMediaType: "application/json",
              contentSchema: jsonSchemaOf(contracts.batchOptions),
            },
            background: { ...binary, description: "The background image, when options.background.kind is image (at most 10 MB)" },
            callbackUrl: { type: "string" },
          },
        },
      },
    },
    responses: { "201": answer("The batch, charged and queued", batch), ...chargeErrors },
  },
  {
    method: "get",
    path: "/batches",
    summary: "Your batches, newest first",
    query: contracts.pageQuery,
    responses: {
      "200": answer("A page of batches", {
        type: "object",
        properties: {
          items: { type: "array", items: batch },
          page: { type: "integer" },
          pageSize: { type: "integer" },
          total: { type: "integer" },
        },
      }),
      ...errors,
    },
  },
  {
    method: "get",
    path: "/batch/:id",
    summary: "One of your batches, with its items' progress",
    responses: { "200": answer("The batch", batch), ...errors },
  },
  {
    method: "delete",
    path: "/batch/:id",
    summary: "Cancel a batch: items not started are cancelled and refunded",
    responses: { "200": answer("The batch after cancelling", batch), ...errors },
  },
  {
    method: "get",
    path: "/batch/:id/download",
    summary: "The batch's results as one ZIP (Range honoured; with S3 storage a 302 to a short-lived direct link)",
    parameters: [{ name: "Range", in: "header", schema: { type: "string" } }],
    responses: {
      "200": { description: "The ZIP", content: { "application/zip": { schema: binary } } },
      "206": { description: "The requested range", content: { "application/zip": { schema: binary } } },
      "302": { description: "Direct download link" },
      "409": failure("The batch has not finished"),
      "410": failure("FILE_EXPIRED: retention deleted the ZIP"),
      "416": failure("INVALID_RANGE"),
      ...errors,
    },
  },
  {
    method: "get",
    path: "/jobs",
    summary: "Your jobs, newest first",
    query: contracts.jobListQuery,
    responses: {
      "200": answer("A page of jobs", {
        type: "object",
        properties: {
          items: { type: "array", items: job },
          page: { type: "integer" },
          pageSize: { type: "integer" },
          total: { type: "integer" },
        },
      }),
      ...errors,
    },
  },
  { method: "get", path: "/jobs/:id", summary: "One of your jobs", responses: { "200": answer("The job", job), ...errors } },
  {
    method: "get",
    path: "/jobs/:id/queue",
    summary: "Where an unfinished job stands: jobs ahead of it and a rough wait in seconds (null once it has settled)",
    responses: {
      "200": answer("{ ahead, etaSeconds } or null", {
        type: ["object", "null"],
        properties: { ahead: { type: "integer" }, etaSeconds: { type: ["integer", "null"] } },
      }),
      ...errors,
    },
  },
  {
    method: "get",
    path: "/jobs/:id/links",
    summary:
      "Fresh signed links to the job's original and result (null once a file is no longer stored); links in other answers expire after an hour",
    responses: {
      "200": answer("The links", {
        type: "object",
        properties: {
          jobId: { type: "string" },
          originalUrl: { type: ["string", "null"] },
          processedUrl: { type: ["string", "null"] },
          expiresAt: { type: "string", format: "date-time" },
        },
      }),
      ...errors,
    },
  },
  {
    method: "post",
    path: "/jobs/:id/rerun",
    summary: "Remove the background of the job's stored original again at another tier: a new job, charged like POST /remove",
    body: contracts.rerunInput,
    parameters: [idempotencyKey],
    responses: { "200": answer("The new, finished job", job), ...chargeErrors },
  },
  {
    method: "get",
    path: "/stats",
    summary: "Your usage: jobs by tier and status, credits spent, mean processing time",
    responses: { "200": answer("Stats"), ...errors },
  },
  { method: "get", path: "/me", summary: "Your account and credit balance", responses: { "200": answer("Account"), ...errors } },
  {
    method: "get",
    path: "/me/notifications",
    summary: "Which notification mails you get: { kinds: [{ kind, enabled }] }",
    responses: { "200": answer("Preferences"), ...errors },
  },
  {
    method: "put",
    path: "/me/notifications",
    summary: "Choose the notification mails you do not want",
    body: contracts.notificationPreferencesInput,
    responses: { "200": answer("Preferences"), ...errors },
  },
  {
    method: "get",
    path: "/pricing",
    summary:
      "The tiers: credits per image and the model serving each now (model packs installed on this deployment upgrade them; remote when a remote provider makes the matte)",
    responses: { "200": answer("{ tiers: [{ tier, credits, model, remote }] }"), ...errors },
  },
  {
    method: "post",
    path: "/pricing/calculate",
    summary: "Price of a single image or a batch, volume discount included",
    body: contracts.pricingInput,
    responses: { "200": answer("Pricing"), ...errors },
  },

  // Other Lumiku apps (scope: removal).
  { path: "/integrations/avatar-creator/batch", ...projectBatch("Avatar Creator", "totalAvatars") },
  { path: "/integrations/carousel-mix/batch", ...projectBatch("Carousel Mix", "totalSlides") },
  {
    method: "post",
    path: "/integrations/pose-generator/auto-remove",
    summary: "Remove the background of a Pose Generator image (a subscription may pay for it)",
    body: contracts.poseAutoRemoveInput,
    parameters: [idempotencyKey],
    responses: {
      "200": answer("The finished job", {
        type: "object",
        properties: {
          jobId: { type: "string" },
          generatedImageId: { type: "string" },
          status: { type: "string" },
          processedUrl: { type: "string" },
          creditsUsed: { type: "integer" },
          pricingType: { type: "string" },
        },
      }),
      ...chargeErrors,
      ...upstreamErrors,
    },
  },
  {
    method: "post",
    path: "/integrations/image-upscaler/pipeline",
    summary: "Two-step job with Image Upscaler Pro: the removal is charged here once, the upscale is billed by the upscaler",
    body: contracts.upscalerPipelineInput,
    parameters: [idempotencyKey],
    responses: {
      "202": answer("Accepted; GET /jobs/{id} shows status and pipeline.intermediateUrl / pipeline.finalUrl"),
      ...chargeErrors,
      ...upstreamErrors,
    },
  },

  // Plans, credits and payments (scope: billing).
  {
    method: "get",
    path: "/subscription",
    summary: "Your plan, today's quota (resetsAt: next midnight in QUOTA_TIMEZONE) and billing; without a plan, the plans on offer",
    responses: {
      "200": answer(
        "hasSubscription true (plan, status, pricing, quotas, allowedTiers, billing) or false (availablePlans); pendingPayment when one awaits",
      ),
      ...errors,
    },
  },
  {
    method: "post",
    path: "/subscription",
    summary: "Subscribe: creates a pending payment; the plan starts once the payment is confirmed",
    body: contracts.subscribeInput,
    responses: {
      "201": answer("{ payment, instructions, subscription }"),
      "200": answer("A cancelled plan of the same name was resumed (payment null)"),
      "409": failure("A plan already runs; the message says what to do"),
      ...errors,
    },
  },
  {
    method: "delete",
    path: "/subscription",
    summary: "Cancel: no renewal; the plan keeps paying until the period ends",
    body: contracts.cancelSubscriptionInput,
    bodyOptional: true,
    responses: { "200": answer("The subscription after cancelling"), ...errors },
  },
  {
    method: "get",
    path: "/credits/packs",
    summary: 'Credit packs with Rupiah prices (priceLabel "Rp 50.000"), the per-credit price and the creditCost line',
    responses: { "200": answer("{ packs, creditCost }"), ...errors },
  },
  {
    method: "post",
    path: "/credits/purchases",
    summary: "Buy a credit pack: a pending payment through the configured provider; the credits land once it is paid",
    body: contracts.buyPackInput,
    responses: { "201": answer("{ payment, instructions }"), ...errors },
  },
  {
    method: "get",
    path: "/payments",
    summary: "Your payments: status pending | paid | failed | expired, amountLabel, checkoutUrl, nextStep",
    responses: { "200": answer("Newest first", { type: "array" }), ...errors },
  },
  { method: "get", path: "/payments/:id", summary: "One of your payments", responses: { "200": answer("The payment"), ...errors } },
  {
    method: "get",
    path: "/payments/:id/receipt",
    summary: "The receipt of one of your paid payments, as an HTML page (print it to PDF)",
    parameters: [{ name: "download", in: "query", schema: { type: "string", enum: ["1"] }, description: "1: sent as an attachment" }],
    responses: {
      "200": { description: "The receipt", content: { "text/html": { schema: { type: "string" } } } },
      "409": failure("Not paid (yet)"),
      ...errors,
    },
  },
  ...(["/payments/webhook", "/subscription/webhook"] as const).map((path): OperationDoc => ({
    method: "post",
    path,
    summary:
      path === "/payments/webhook"
        ? "Payment outcome from the provider, authenticated by its signature (manual: X-Signature; invoice gateway: X-Callback-Signature, HMAC-SHA256 of the raw body). Credits land once; replays change nothing"
        : "The same as POST /payments/webhook, at the address providers were configured with before credit packs",
    security: noUserAuth,
    content: {
      "application/json": {
        schema: { type: "object", description: "The provider's own payload, read as raw bytes so its signature can be checked" },
      },
    },
    responses: {
      "200": answer("{ paymentId, status, changed } (changed false for a repeated report)"),
      "401": failure("Missing or wrong signature"),
      "404": failure("Unknown payment"),
      "409": failure("Another outcome already, or a paid amount that differs from the payment's"),
    },
  })),

  // Admins (scope: billing, and the admin role).
  {
    method: "get",
    path: "/admin/users",
    summary: "Accounts, newest first (admins only)",
    responses: { "200": answer("Users", { type: "array" }), ...errors },
  },
  {
    method: "get",
    path: "/admin/payments",
    summary: "Payments, newest first (admins only)",
    responses: { "200": answer("Payments", { type: "array" }), ...errors },
  },
  {
    method: "get",
    path: "/admin/jobs",
    summary: "Jobs, newest first (admins only)",
    responses: { "200": answer("Jobs", { type: "array" }), ...errors },
  },
  {
    method: "post",
    path: "/admin/users/:id/credits",
    summary: "Grant credits with a reason (a ledger row); requestKey makes a retried grant land once",
    body: contracts.grantCreditsInput,
    responses: { "200": answer("{ userId, creditBalance }"), ...errors },
  },
  {
    method: "post",
    path: "/admin/payments/:id/settle",
    summary: "Confirm or fail a payment by hand (e.g. a bank transfer that arrived)",
    body: contracts.settlePaymentInput,
    responses: { "200": answer("{ payment, changed }"), "409": failure("The payment already has another outcome"), ...errors },
  },
  {
    method: "post",
    path: "/admin/invitations",
    summary: "Invite an email to sign up (SIGNUP_MODE=invite)",
    body: contracts.inviteInput,
    responses: { "201": answer("{ email }"), ...errors },
  },

  // API keys (scope: keys).
  {
    method: "get",
    path: "/api-keys",
    summary: "Your API keys: prefix, name, scopes, created, last used, revoked (never the secret)",
    responses: { "200": answer("{ items }"), ...errors },
  },
  {
    method: "post",
    path: "/api-keys",
    summary: "Create an API key; the secret (key) is in this answer only, and a key only gets scopes its creator holds",
    body: contracts.createApiKeyInput,
    responses: { "201": answer("The key, with its secret"), ...errors },
  },
  {
    method: "delete",
    path: "/api-keys/:id",
    summary: "Revoke an API key: it answers 401 from the next request",
    responses: { "200": answer("The revoked key"), ...errors },
  },

  // Standalone accounts.
  {
    method: "get",
    path: "/auth/config",
    security: noUserAuth,
    summary: "Whether this deployment offers sign-up: { signupMode: open | invite | off }",
    responses: { "200": answer("The sign-up mode") },
  },
  {
    method: "post",
    path: "/auth/sign-up",
    security: noUserAuth,
    summary: "Create a standalone account (SIGNUP_MODE); sets the HttpOnly session cookie, answers { account, csrfToken }",
    body: contracts.credentialsInput,
    responses: { "201": answer("Signed in"), ...errors },
  },
  {
    method: "post",
    path: "/auth/sign-in",
    security: noUserAuth,
    summary: "Sign in; the same 401 for a wrong password and an unknown email; 429 after repeated failures",
    body: contracts.credentialsInput,
    responses: { "200": answer("Signed in"), ...errors },
  },
  {
    method: "get",
    path: "/auth/session",
    summary: "The signed-in account and the session's csrfToken (send it as X-CSRF-Token with cookie-authenticated changes)",
    responses: { "200": answer("The session"), ...errors },
  },
  { method: "post", path: "/auth/sign-out", summary: "End this session", responses: { "200": answer("Signed out"), ...errors } },
  {
    method: "post",
    path: "/auth/sign-out-everywhere",
    summary: "End every session of the account",
    responses: { "200": answer("{ ended }"), ...errors },
  },
  {
    method: "post",
    path: "/auth/password-reset",
    security: noUserAuth,
    summary: "Mail a single-use reset link (30 minutes); always the same 202",
    body: contracts.passwordResetInput,
    responses: { "202": answer("Accepted"), ...errors },
  },
  {
    method: "post",
    path: "/auth/password-reset/confirm",
    security: noUserAuth,
    summary: "Set a new password with the mailed token and end every session",
    body: contracts.passwordResetConfirmInput,
    responses: { "200": answer("Changed"), ...errors },
  },
  {
    method: "get",
    path: "/dev/sign-in",
    security: noUserAuth,
    summary: "Development mode only: whether the one-click demo sign-in is offered",
    responses: { "200": answer("{ available: true }"), "404": failure("Not in development mode") },
  },
  {
    method: "post",
    path: "/dev/sign-in",
    security: noUserAuth,
    summary: "Development mode only: sign in as the demo account",
    responses: { "200": answer("Signed in"), "404": failure("Not in development mode") },
  },
  // The result editor (result-editor.routes.ts).
  {
    method: "post",
    path: "/jobs/:id/compose",
    summary:
      "The finished result composed on the server (background colour, image or blur; shadow; crop; aspect; format; size) from the stored original and the latest matte. Free: the removal was charged",
    content: {
      "multipart/form-data": {
        schema: {
          type: "object",
          required: ["options"],
          properties: {
            options: {
              type: "string",
              description: "JSON of the options",
              contentMediaType: "application/json",
              contentSchema: jsonSchemaOf(contracts.composeRequest),
            },
            background: { ...binary, description: "The background image, when options.background.kind is image" },
          },
        },
      },
    },
    responses: {
      "200": {
        description: "The image; X-Width, X-Height and X-Matte-Version say what it is",
        content: { "image/png": { schema: binary }, "image/webp": { schema: binary }, "image/jpeg": { schema: binary } },
      },
      ...editorErrors,
    },
  },
  {
    method: "get",
    path: "/jobs/:id/versions",
    summary: "The result's mattes: 1 is the removal's own, 2 on are saved edits (the highest is used)",
    responses: { "200": answer("The versions, oldest first", { type: "array", items: matteVersion }), ...editorErrors },
  },
  {
    method: "get",
    path: "/jobs/:id/matte",
    summary: "The current matte: an image whose alpha channel is the matte",
    responses: {
      "200": {
        description: "PNG (or WebP for version 1 of a WebP result); X-Matte-Version names it",
        content: { "image/png": { schema: binary }, "image/webp": { schema: binary } },
      },
      ...editorErrors,
    },
  },
  {
    method: "post",
    path: "/jobs/:id/mattes",
    summary:
      "Save an edited matte as the next version (the original is kept): a PNG of the photo's size whose alpha (or, without alpha, grey) is the matte",
    content: { "multipart/form-data": { schema: { type: "object", required: ["matte"], properties: { matte: binary } } } },
    responses: { "201": answer("The new version", matteVersion), ...editorErrors },
  },
];
