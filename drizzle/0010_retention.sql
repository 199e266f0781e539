ALTER TABLE "background_removal_batches" ADD COLUMN "zip_expired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD COLUMN "original_expired_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD COLUMN "result_expired_at" timestamp with time zone;