CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text,
	"role" text DEFAULT 'user' NOT NULL,
	"credit_balance" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('user', 'admin')),
	CONSTRAINT "users_credit_balance_check" CHECK ("users"."credit_balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "credit_ledger" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"delta" integer NOT NULL,
	"reason" text NOT NULL,
	"reference_type" text,
	"reference_id" text,
	"balance_after" integer NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_ledger_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "credit_ledger_reason_check" CHECK ("credit_ledger"."reason" in ('removal', 'batch', 'refund', 'grant', 'purchase', 'adjustment')),
	CONSTRAINT "credit_ledger_balance_after_check" CHECK ("credit_ledger"."balance_after" >= 0)
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "background_removal_batches" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"total_images" integer NOT NULL,
	"processed_images" integer DEFAULT 0 NOT NULL,
	"failed_images" integer DEFAULT 0 NOT NULL,
	"tier" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"progress_percent" integer DEFAULT 0 NOT NULL,
	"error_message" text,
	"base_credits_per_image" integer NOT NULL,
	"base_total" integer NOT NULL,
	"discount_percentage" integer NOT NULL,
	"discount_amount" integer NOT NULL,
	"final_total" integer NOT NULL,
	"credits_per_image_after_discount" numeric(12, 4) NOT NULL,
	"zip_file_path" text,
	"zip_file_size" integer,
	"estimated_completion_minutes" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"queue_job_id" text,
	"callback_url" text,
	CONSTRAINT "background_removal_batches_tier_check" CHECK ("background_removal_batches"."tier" in ('basic', 'standard', 'professional', 'industry')),
	CONSTRAINT "background_removal_batches_status_check" CHECK ("background_removal_batches"."status" in ('pending', 'processing', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "background_removal_batches_progress_percent_check" CHECK ("background_removal_batches"."progress_percent" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "background_removal_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"batch_id" text,
	"original_file_name" text NOT NULL,
	"original_file_path" text NOT NULL,
	"original_file_size" integer NOT NULL,
	"processed_file_path" text,
	"processed_file_size" integer,
	"tier" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"error_message" text,
	"ai_provider" text,
	"model_name" text,
	"processing_time_ms" integer,
	"credit_used" integer NOT NULL,
	"pricing_type" text NOT NULL,
	"width" integer,
	"height" integer,
	"format" text,
	"queue_job_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"output_options" jsonb,
	"refunded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "background_removal_jobs_tier_check" CHECK ("background_removal_jobs"."tier" in ('basic', 'standard', 'professional', 'industry')),
	CONSTRAINT "background_removal_jobs_status_check" CHECK ("background_removal_jobs"."status" in ('pending', 'processing', 'completed', 'failed', 'cancelled')),
	CONSTRAINT "background_removal_jobs_pricing_type_check" CHECK ("background_removal_jobs"."pricing_type" in ('credits', 'subscription'))
);
--> statement-breakpoint
CREATE TABLE "background_remover_subscription_usage" (
	"id" text PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"user_id" text NOT NULL,
	"date" date NOT NULL,
	"removals_count" integer DEFAULT 0 NOT NULL,
	"basic_count" integer DEFAULT 0 NOT NULL,
	"standard_count" integer DEFAULT 0 NOT NULL,
	"professional_count" integer DEFAULT 0 NOT NULL,
	"tier" text DEFAULT 'all' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "background_remover_subscription_usage_sub_date_tier_key" UNIQUE("subscription_id","date","tier"),
	CONSTRAINT "background_remover_subscription_usage_tier_check" CHECK ("background_remover_subscription_usage"."tier" in ('all', 'basic', 'standard', 'professional', 'industry')),
	CONSTRAINT "background_remover_subscription_usage_counts_check" CHECK ("background_remover_subscription_usage"."removals_count" >= 0 and "background_remover_subscription_usage"."basic_count" >= 0 and "background_remover_subscription_usage"."standard_count" >= 0 and "background_remover_subscription_usage"."professional_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "background_remover_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"plan" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"monthly_price" integer NOT NULL,
	"currency" text DEFAULT 'IDR' NOT NULL,
	"daily_quota" integer NOT NULL,
	"professional_daily_quota" integer,
	"allowed_tiers" text[] NOT NULL,
	"subscribed_at" timestamp with time zone NOT NULL,
	"current_period_end" timestamp with time zone NOT NULL,
	"next_billing_date" timestamp with time zone,
	"last_payment_id" text,
	"auto_renew" boolean DEFAULT true NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancel_reason" text,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "background_remover_subscriptions_user_id_unique" UNIQUE("user_id"),
	CONSTRAINT "background_remover_subscriptions_plan_check" CHECK ("background_remover_subscriptions"."plan" in ('starter', 'pro')),
	CONSTRAINT "background_remover_subscriptions_status_check" CHECK ("background_remover_subscriptions"."status" in ('active', 'cancelled', 'expired', 'grace_period')),
	CONSTRAINT "background_remover_subscriptions_allowed_tiers_check" CHECK ("background_remover_subscriptions"."allowed_tiers" <@ ARRAY['basic', 'standard', 'professional', 'industry']::text[])
);
--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_removal_batches" ADD CONSTRAINT "background_removal_batches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD CONSTRAINT "background_removal_jobs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_removal_jobs" ADD CONSTRAINT "background_removal_jobs_batch_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."background_removal_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_remover_subscription_usage" ADD CONSTRAINT "background_remover_subscription_usage_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_remover_subscription_usage" ADD CONSTRAINT "background_remover_subscription_usage_subscription_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."background_remover_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "background_remover_subscriptions" ADD CONSTRAINT "background_remover_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_ledger_user_id_created_at_idx" ON "credit_ledger" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "api_keys_user_id_idx" ON "api_keys" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "background_removal_batches_user_id_created_at_idx" ON "background_removal_batches" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "background_removal_batches_status_created_at_idx" ON "background_removal_batches" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "background_removal_batches_queue_job_id_idx" ON "background_removal_batches" USING btree ("queue_job_id");--> statement-breakpoint
CREATE INDEX "background_removal_jobs_user_id_created_at_idx" ON "background_removal_jobs" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "background_removal_jobs_status_created_at_idx" ON "background_removal_jobs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "background_removal_jobs_batch_id_idx" ON "background_removal_jobs" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "background_removal_jobs_queue_job_id_idx" ON "background_removal_jobs" USING btree ("queue_job_id");--> statement-breakpoint
CREATE INDEX "background_remover_subscriptions_status_expires_at_idx" ON "background_remover_subscriptions" USING btree ("status","expires_at");--> statement-breakpoint
CREATE INDEX "background_remover_subscriptions_next_billing_date_idx" ON "background_remover_subscriptions" USING btree ("next_billing_date");