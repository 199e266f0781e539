import path from "node:path";
import { z } from "zod";

const flag = z
  .enum(["true", "false"])
  .default("false")
  .transform((value) => value === "true");

/** Where originals, results and ZIPs live, as environment variables. */
export const storageSettingsSchema = z.object({
  /** `local` (STORAGE_DIR) or `s3` (S3_*; several machines share it). */
  STORAGE_DRIVER: z.enum(["local", "s3"]).default("local"),
  STORAGE_DIR: z.string().optional(),
  S3_BUCKET: z.string().min(3).optional(),
  /** An S3-compatible endpoint (MinIO, R2, …); unset: AWS in S3_REGION. Credentials come from the standard AWS_* variables. */
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_FORCE_PATH_STYLE: flag,
  /** `true`: downloads redirect to presigned bucket URLs (valid 5 minutes) instead of streaming through the server. */
  S3_PRESIGNED_DOWNLOADS: flag,
});

/** Where stored files live, as createStorage takes it. */
export type StorageConfig =
  | { driver: "local"; dir: string }
  | { driver: "s3"; bucket: string; endpoint?: string; region: string; forcePathStyle: boolean; presignDownloads: boolean };

/** The parsed settings as createStorage takes them; local storage defaults to DATA_DIR/storage. */
export function storageConfigOf(settings: z.infer<typeof storageSettingsSchema>, dataDir: string): StorageConfig {
  if (settings.STORAGE_DRIVER === "local")
    return { driver: "local", dir: path.resolve(settings.STORAGE_DIR ?? path.join(dataDir, "storage")) };
  if (!settings.S3_BUCKET) throw new Error("STORAGE_DRIVER=s3 needs S3_BUCKET (and S3_ENDPOINT for a store other than AWS).");
  return {
    driver: "s3",
    bucket: settings.S3_BUCKET,
    region: settings.S3_REGION,
    forcePathStyle: settings.S3_FORCE_PATH_STYLE,
    presignDownloads: settings.S3_PRESIGNED_DOWNLOADS,
    ...(settings.S3_ENDPOINT ? { endpoint: settings.S3_ENDPOINT } : {}),
  };
}
