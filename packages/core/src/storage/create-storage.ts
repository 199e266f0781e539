import type { StorageConfig } from "./storage-settings.ts";
import { LocalStorage } from "./local-storage.ts";
import { S3Storage } from "./s3-storage.ts";
import type { Storage } from "./storage.ts";

/** The configured store, with a close() that releases its connections. */
export function createStorage(config: StorageConfig): Storage & { close(): void } {
  if (config.driver === "local") return Object.assign(new LocalStorage(config.dir), { close: () => undefined });
  return new S3Storage(config);
}
