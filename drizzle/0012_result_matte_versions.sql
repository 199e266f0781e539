CREATE TABLE "result_matte_versions" (
	"job_id" text NOT NULL,
	"version" integer NOT NULL,
	"file_path" text NOT NULL,
	"file_size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "result_matte_versions_job_id_version_pk" PRIMARY KEY("job_id","version"),
	CONSTRAINT "result_matte_versions_version_check" CHECK ("result_matte_versions"."version" >= 2)
);
--> statement-breakpoint
ALTER TABLE "result_matte_versions" ADD CONSTRAINT "result_matte_versions_job_id_background_removal_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."background_removal_jobs"("id") ON DELETE cascade ON UPDATE no action;