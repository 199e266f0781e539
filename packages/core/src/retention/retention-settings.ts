import { z } from "zod";
import { DEFAULT_RETENTION, type RetentionPolicy } from "./retention.service.ts";

/** Days each kind of file is kept after its job or batch settled; then retention deletes it and downloads answer 410. */
export const retentionSettingsSchema = z.object({
  RETENTION_ORIGINALS_DAYS: z.coerce.number().min(0).default(DEFAULT_RETENTION.originalsDays),
  RETENTION_RESULTS_DAYS: z.coerce.number().min(0).default(DEFAULT_RETENTION.resultsDays),
  RETENTION_ZIPS_DAYS: z.coerce.number().min(0).default(DEFAULT_RETENTION.zipsDays),
});

export function retentionPolicyOf(settings: z.infer<typeof retentionSettingsSchema>): RetentionPolicy {
  return {
    originalsDays: settings.RETENTION_ORIGINALS_DAYS,
    resultsDays: settings.RETENTION_RESULTS_DAYS,
    zipsDays: settings.RETENTION_ZIPS_DAYS,
  };
}
