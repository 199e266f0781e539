ALTER TABLE "background_removal_batches" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "background_removal_batches" ADD COLUMN "first_file_name" text;--> statement-breakpoint
-- Batches made before this migration take their first item's name (upload order), as new batches do at creation.
UPDATE "background_removal_batches" AS b SET "first_file_name" = (SELECT j."original_file_name" FROM "background_removal_jobs" AS j WHERE j."batch_id" = b."id" ORDER BY j."created_at", j."id" LIMIT 1);
