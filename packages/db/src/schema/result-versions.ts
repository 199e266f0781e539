import { sql } from "drizzle-orm";
import { check, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.ts";
import { backgroundRemovalJobs } from "./removals.ts";

/**
 * The edited mattes of a result, one row per save. Version 1 is the removal's own result (the job's
 * processed file), so rows start at 2; the original is never overwritten and the highest version is current.
 */
export const resultMatteVersions = pgTable(
  "result_matte_versions",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => backgroundRemovalJobs.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    filePath: text("file_path").notNull(),
    fileSize: integer("file_size").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.version] }), check("result_matte_versions_version_check", sql`${t.version} >= 2`)],
);

export type ResultMatteVersion = typeof resultMatteVersions.$inferSelect;
