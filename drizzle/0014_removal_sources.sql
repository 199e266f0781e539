ALTER TABLE "background_removal_jobs" ADD COLUMN "worker_id" text;--> statement-breakpoint
-- ai_provider held `provider:model@worker` in one string (the worker after the last @, the model after the first :),
-- and model_name a copy of the tier: give each its own column.
UPDATE "background_removal_jobs" SET
  "worker_id" = substring("ai_provider" from '@([^@]*)$'),
  "model_name" = substring(regexp_replace("ai_provider", '@[^@]*$', '') from ':(.*)$'),
  "ai_provider" = split_part(regexp_replace("ai_provider", '@[^@]*$', ''), ':', 1)
WHERE "ai_provider" IS NOT NULL;--> statement-breakpoint
-- Rows without a provider never named their model: the tier copy goes.
UPDATE "background_removal_jobs" SET "model_name" = NULL WHERE "ai_provider" IS NULL;
