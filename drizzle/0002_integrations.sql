ALTER TABLE "background_removal_batches" ADD COLUMN "source_app" text;--> statement-breakpoint
ALTER TABLE "background_removal_batches" ADD COLUMN "source_ref" text;--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD COLUMN "source_app" text;--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD COLUMN "source_ref" text;--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD COLUMN "callback_url" text;--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD COLUMN "pipeline" jsonb;--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD COLUMN "sealed_authorization" text;--> statement-breakpoint
ALTER TABLE "background_removal_batches" ADD CONSTRAINT "background_removal_batches_source_app_check" CHECK ("background_removal_batches"."source_app" in ('avatar-creator', 'carousel-mix', 'pose-generator', 'image-upscaler'));--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD CONSTRAINT "background_removal_jobs_source_app_check" CHECK ("background_removal_jobs"."source_app" in ('avatar-creator', 'carousel-mix', 'pose-generator', 'image-upscaler'));