import type { Logger, RetentionService } from "@bgr/core";

/** The hourly retention sweep; a second run (or a second worker's) finds nothing left to do. */
export function retentionHandlers(retention: RetentionService, now: () => Date, log: Logger): { retentionSweep: () => Promise<void> } {
  return {
    retentionSweep: async () => {
      const swept = await retention.sweep(now());
      if (swept.originals + swept.results + swept.zips > 0)
        log.info({ swept }, `retention: deleted ${swept.originals} original(s), ${swept.results} result(s), ${swept.zips} ZIP(s)`);
    },
  };
}
