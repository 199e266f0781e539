CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"plan" text NOT NULL,
	"purpose" text NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"provider" text NOT NULL,
	"provider_reference" text,
	"checkout_url" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"failure_reason" text,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	CONSTRAINT "payments_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "payments_provider_reference_key" UNIQUE("provider","provider_reference"),
	CONSTRAINT "payments_status_check" CHECK ("payments"."status" in ('pending', 'paid', 'failed')),
	CONSTRAINT "payments_purpose_check" CHECK ("payments"."purpose" in ('subscribe', 'renewal')),
	CONSTRAINT "payments_plan_check" CHECK ("payments"."plan" in ('starter', 'pro')),
	CONSTRAINT "payments_amount_check" CHECK ("payments"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "background_remover_subscriptions" DROP CONSTRAINT "background_remover_subscriptions_status_check";--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_subscription_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."background_remover_subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_user_id_created_at_idx" ON "payments" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "payments_subscription_id_status_idx" ON "payments" USING btree ("subscription_id","status");--> statement-breakpoint
ALTER TABLE "background_remover_subscriptions" ADD CONSTRAINT "background_remover_subscriptions_status_check" CHECK ("background_remover_subscriptions"."status" in ('pending', 'active', 'cancelled', 'expired', 'grace_period'));