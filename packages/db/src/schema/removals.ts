import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, jsonb, numeric, pgTable, text } from "drizzle-orm/pg-core";
import { TIER_NAMES } from "@bgr/domain/tiers";
import { createdAt, idColumn, oneOf, timestamptz } from "./columns.ts";
import { users } from "./users.ts";

export const REMOVAL_STATUSES = ["pending", "processing", "completed", "failed", "cancelled"] as const;
export type RemovalStatus = (typeof REMOVAL_STATUSES)[number];

export const BATCH_STATUSES = ["pending", "processing", "completed", "failed", "cancelled"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const PRICING_TYPES = ["credits", "subscription"] as const;
export type PricingType = (typeof PRICING_TYPES)[number];

/** The Lumiku apps whose integration endpoints create work here; null source = uploaded by the user. */
export const SOURCE_APPS = ["avatar-creator", "carousel-mix", "pose-generator", "image-upscaler"] as const;
export type SourceApp = (typeof SOURCE_APPS)[number];

export const PIPELINE_ORDERS = ["remove-then-upscale", "upscale-then-remove"] as const;
export type PipelineOrder = (typeof PIPELINE_ORDERS)[number];

/** A two-step Image Upscaler pipeline's state; each step's output key is set once, which makes retries skip it. */
export interface PipelineState {
  order: PipelineOrder;
  upscaleFactor: number;
  /** The first step's output once stored (the background-removed image, or the upscaled original). */
  intermediatePath: string | null;
}

/** A container for 2–500 jobs processed and priced together. */
export const backgroundRemovalBatches = pgTable(
  "background_removal_batches",
  {
    id: idColumn("batch"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),

    /** The name its owner gave it (trimmed); null: the web app names it after its first file and the count. */
    name: text("name"),
    /** The first file's name in upload order, so lists can name a batch without reading its items. */
    firstFileName: text("first_file_name"),

    totalImages: integer("total_images").notNull(),
    processedImages: integer("processed_images").notNull().default(0),
    failedImages: integer("failed_images").notNull().default(0),
    /** Items stopped by a cancel before they started. */
    cancelledImages: integer("cancelled_images").notNull().default(0),
    tier: text("tier", { enum: TIER_NAMES }).notNull(),

    status: text("status", { enum: BATCH_STATUSES }).notNull().default("pending"),
    progressPercent: integer("progress_percent").notNull().default(0),
    errorMessage: text("error_message"),

    baseCreditsPerImage: integer("base_credits_per_image").notNull(),
    baseTotal: integer("base_total").notNull(),
    discountPercentage: integer("discount_percentage").notNull(),
    discountAmount: integer("discount_amount").notNull(),
    finalTotal: integer("final_total").notNull(),
    /** Set once, when the last item settles: finalTotal minus the volume price of the items that succeeded. Null while the batch runs. */
    refundedCredits: integer("refunded_credits"),
    // Informational (finalTotal is what is charged); numeric keeps e.g. 7.6 exact.
    creditsPerImageAfterDiscount: numeric("credits_per_image_after_discount", {
      precision: 12,
      scale: 4,
      mode: "number",
    }).notNull(),

    zipFilePath: text("zip_file_path"),
    zipFileSize: integer("zip_file_size"),
    /** When retention deleted the ZIP (the row and its numbers stay; a download then answers 410). */
    zipExpiredAt: timestamptz("zip_expired_at"),

    estimatedCompletionMinutes: integer("estimated_completion_minutes"),
    createdAt: createdAt(),
    startedAt: timestamptz("started_at"),
    completedAt: timestamptz("completed_at"),
    cancelledAt: timestamptz("cancelled_at"),

    queueJobId: text("queue_job_id"),
    callbackUrl: text("callback_url"),
    sourceApp: text("source_app", { enum: SOURCE_APPS }),
    /** The source app's id of what was processed (e.g. the Avatar Creator project). */
    sourceRef: text("source_ref"),
  },
  (t) => [
    index("background_removal_batches_user_id_created_at_idx").on(t.userId, t.createdAt.desc()),
    index("background_removal_batches_status_created_at_idx").on(t.status, t.createdAt),
    index("background_removal_batches_queue_job_id_idx").on(t.queueJobId),
    check("background_removal_batches_tier_check", oneOf(t.tier, TIER_NAMES)),
    check("background_removal_batches_status_check", oneOf(t.status, BATCH_STATUSES)),
    check("background_removal_batches_source_app_check", oneOf(t.sourceApp, SOURCE_APPS)),
    check("background_removal_batches_progress_percent_check", sql`${t.progressPercent} between 0 and 100`),
  ],
);

/** One image removal; `batchId` is null for single removals. */
export const backgroundRemovalJobs = pgTable(
  "background_removal_jobs",
  {
    id: idColumn("job"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    batchId: text("batch_id"),

    originalFileName: text("original_file_name").notNull(),
    originalFilePath: text("original_file_path").notNull(),
    originalFileSize: integer("original_file_size").notNull(),

    processedFilePath: text("processed_file_path"),
    processedFileSize: integer("processed_file_size"),
    /** When retention deleted the original (and a pipeline's intermediate); the paths stay so a link to them answers 410. */
    originalExpiredAt: timestamptz("original_expired_at"),
    /** When retention deleted the result. */
    resultExpiredAt: timestamptz("result_expired_at"),

    tier: text("tier", { enum: TIER_NAMES }).notNull(),
    status: text("status", { enum: REMOVAL_STATUSES }).notNull().default("pending"),
    errorMessage: text("error_message"),

    /** Who made the matte: `local` (this engine), a remote provider (`huggingface`, `segmind`) or `external`. */
    aiProvider: text("ai_provider"),
    /** The model that made it, as the registry or the provider names it (e.g. `isnet-fp16`); the tier is `tier`. */
    modelName: text("model_name"),
    /** The worker process that ran a batch item (`WORKER_ID`); null for work done in a server. */
    workerId: text("worker_id"),

    processingTimeMs: integer("processing_time_ms"),

    creditUsed: integer("credit_used").notNull(),
    pricingType: text("pricing_type", { enum: PRICING_TYPES }).notNull(),

    width: integer("width"),
    height: integer("height"),
    format: text("format"),

    queueJobId: text("queue_job_id"),
    attempts: integer("attempts").notNull().default(0),
    // Engine options for the output (format, background, …); shape owned by the domain layer.
    outputOptions: jsonb("output_options").$type<Record<string, unknown>>(),
    refundedAt: timestamptz("refunded_at"),

    sourceApp: text("source_app", { enum: SOURCE_APPS }),
    sourceRef: text("source_ref"),
    /** Signed POST here when the job settles (single and pipeline jobs; batch items report through their batch). */
    callbackUrl: text("callback_url"),
    pipeline: jsonb("pipeline").$type<PipelineState>(),
    /** The caller's Authorization header, sealed, kept only while a pipeline still has to call the upscaler for them. */
    sealedAuthorization: text("sealed_authorization"),

    createdAt: createdAt(),
    completedAt: timestamptz("completed_at"),
  },
  (t) => [
    // Named by hand: the generated name exceeds PostgreSQL's 63-character identifier limit.
    foreignKey({
      name: "background_removal_jobs_batch_id_fk",
      columns: [t.batchId],
      foreignColumns: [backgroundRemovalBatches.id],
    }).onDelete("cascade"),
    index("background_removal_jobs_user_id_created_at_idx").on(t.userId, t.createdAt.desc()),
    index("background_removal_jobs_status_created_at_idx").on(t.status, t.createdAt),
    index("background_removal_jobs_batch_id_idx").on(t.batchId),
    index("background_removal_jobs_queue_job_id_idx").on(t.queueJobId),
    check("background_removal_jobs_tier_check", oneOf(t.tier, TIER_NAMES)),
    check("background_removal_jobs_status_check", oneOf(t.status, REMOVAL_STATUSES)),
    check("background_removal_jobs_pricing_type_check", oneOf(t.pricingType, PRICING_TYPES)),
    check("background_removal_jobs_source_app_check", oneOf(t.sourceApp, SOURCE_APPS)),
  ],
);

export type Removal = typeof backgroundRemovalJobs.$inferSelect;
export type NewRemoval = typeof backgroundRemovalJobs.$inferInsert;
export type RemovalBatch = typeof backgroundRemovalBatches.$inferSelect;
export type NewRemovalBatch = typeof backgroundRemovalBatches.$inferInsert;
