import { DEFAULT_QUOTA_TIME_ZONE, isValidTimeZone } from "@bgr/domain";
import { z } from "zod";

export const quotaSettingsSchema = z.object({
  /** IANA zone whose midnight starts the subscription quota day (and `resetsAt`); workers refund quota into it. */
  QUOTA_TIMEZONE: z
    .string()
    .default(DEFAULT_QUOTA_TIME_ZONE)
    .refine(isValidTimeZone, (zone) => ({ message: `unknown time zone "${zone}"; use an IANA name such as UTC or Asia/Jakarta` })),
});
