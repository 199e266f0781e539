import { z } from "zod";

const unsetWhenEmpty = z
  .string()
  .optional()
  .transform((value) => value || undefined);

/** The secrets tokens and file links are checked with, as environment variables (both required in production). */
export const authSettingsSchema = z.object({
  /** HS256 secret of the platform's access tokens (callbacks are signed with a key derived from it); required in production. */
  JWT_SECRET: z.string().min(16).optional(),
  /** When set (non-empty), tokens must carry this `iss` / this `aud` (and the admin CLI issues them so). */
  JWT_ISSUER: unsetWhenEmpty,
  JWT_AUDIENCE: unsetWhenEmpty,
  /** This deployment's own secret for signed file links (not shared with the platform); required in production. */
  FILE_LINK_SECRET: z.string().min(16).optional(),
});
