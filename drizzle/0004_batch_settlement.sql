ALTER TABLE "background_removal_batches" ADD COLUMN "cancelled_images" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "background_removal_batches" ADD COLUMN "refunded_credits" integer;--> statement-breakpoint
-- Batches settled before this migration: what they refunded item by item, and their cancelled items.
UPDATE "background_removal_batches" AS b SET
  "cancelled_images" = (SELECT count(*) FROM "background_removal_jobs" j WHERE j."batch_id" = b."id" AND j."status" = 'cancelled'),
  "refunded_credits" = (
    SELECT coalesce(sum(l."delta"), 0) FROM "credit_ledger" l
    WHERE l."reason" = 'refund'
      AND (l."reference_id" = b."id" OR l."reference_id" IN (SELECT j."id" FROM "background_removal_jobs" j WHERE j."batch_id" = b."id"))
  )
WHERE NOT EXISTS (SELECT 1 FROM "background_removal_jobs" j WHERE j."batch_id" = b."id" AND j."status" IN ('pending', 'processing'));
