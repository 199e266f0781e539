import type { Readable } from "node:stream";

/** Where originals, results and ZIPs live: local disk (LocalStorage) or an S3-compatible bucket (S3Storage). */
export interface Storage {
  /** Writes an object from bytes or a stream; returns its size in bytes. */
  put(key: string, body: Uint8Array | Readable): Promise<number>;
  get(key: string, range?: { start: number; end: number }): Promise<Readable>;
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  /**
   * Set when clients may fetch objects straight from the store (S3 presigned GETs): a URL valid for
   * `expiresInSeconds`, so downloads do not pass through our servers. Unset: the server streams them.
   */
  readonly directDownloadUrl?: (key: string, options: { expiresInSeconds: number; fileName?: string }) => Promise<string>;
}

/** How long a presigned direct-download URL stays valid (directDownloadUrl): long enough to start a download. */
export const DIRECT_DOWNLOAD_SECONDS = 300;

/** An object's bytes in memory (originals and results are at most a few tens of MB). */
export async function readObject(storage: Storage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Object keys are built here only, so user input never becomes a path. */
export const storageKeys = {
  original: (userId: string, jobId: string, extension: string) => `users/${safe(userId)}/jobs/${jobId}/original.${extension}`,
  result: (userId: string, jobId: string, extension: string) => `users/${safe(userId)}/jobs/${jobId}/result.${extension}`,
  /** A pipeline's first-step output (background removed, or upscaled). */
  intermediate: (userId: string, jobId: string, extension: string) => `users/${safe(userId)}/jobs/${jobId}/intermediate.${extension}`,
  /** An edited matte of a result (version 2 on; version 1 is the result itself). */
  matteVersion: (userId: string, jobId: string, version: number) => `users/${safe(userId)}/jobs/${jobId}/matte-v${version}.png`,
  batchZip: (userId: string, batchId: string) => `users/${safe(userId)}/batches/${batchId}/result.zip`,
  /** A batch's background image, composed behind every item; deleted once the batch's ZIP is made. */
  batchBackground: (userId: string, batchId: string) => `users/${safe(userId)}/batches/${batchId}/background`,
};

function safe(segment: string): string {
  return segment.replace(/[^A-Za-z0-9_-]/g, "_");
}
