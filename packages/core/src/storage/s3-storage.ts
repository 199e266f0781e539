import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { PassThrough, Readable } from "node:stream";
import type { Storage } from "./storage.ts";

export interface S3StorageOptions {
  bucket: string;
  /** An S3-compatible endpoint (MinIO, R2, s3rver); unset: AWS for `region`. */
  endpoint?: string;
  region: string;
  /** `bucket` in the path, not the host name: what most S3-compatible servers need. */
  forcePathStyle: boolean;
  /** Downloads go to presigned bucket URLs (the endpoint must be reachable by clients). */
  presignDownloads?: boolean;
  /** Explicit keys (tests); unset: the SDK's standard chain (AWS_ACCESS_KEY_ID…, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Multipart parts of 8 MiB, two in flight: a ZIP of 500 results streams through in bounded memory. */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/**
 * Storage in an S3-compatible bucket, for deployments whose servers and workers run on several
 * machines. Bytes are sent in one PUT; streams (batch ZIPs) as a streamed multipart upload, so
 * nothing is held whole in memory. Reads stream, with byte ranges.
 */
export class S3Storage implements Storage {
  private readonly client: S3Client;
  readonly directDownloadUrl?: Storage["directDownloadUrl"];

  constructor(private readonly options: S3StorageOptions) {
    this.client = new S3Client({
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
    if (options.presignDownloads) {
      this.directDownloadUrl = (key, { expiresInSeconds, fileName }) =>
        getSignedUrl(
          this.client,
          new GetObjectCommand({
            Bucket: options.bucket,
            Key: key,
            ...(fileName ? { ResponseContentDisposition: `attachment; filename="${fileName.replace(/["\\\r\n]/g, "_")}"` } : {}),
          }),
          { expiresIn: expiresInSeconds },
        );
    }
  }

  async put(key: string, body: Uint8Array | Readable): Promise<number> {
    const Bucket = this.options.bucket;
    if (!(body instanceof Readable)) {
      await this.client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentLength: body.length }));
      return body.length;
    }
    let size = 0;
    const counted = new PassThrough();
    counted.on("data", (chunk: Buffer) => (size += chunk.length));
    body.on("error", (error) => counted.destroy(error));
    body.pipe(counted);
    await new Upload({
      client: this.client,
      params: { Bucket, Key: key, Body: counted },
      partSize: PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
    }).done();
    return size;
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
      );
      return answer.Body as Readable;
    } catch (error) {
      throw isMissing(error) ? missingObject(key) : error;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /** Deleting a missing object succeeds, as on disk: retention sweeps may meet one twice. */
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  close(): void {
    this.client.destroy();
  }
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404)
  );
}

/** The same error a missing file gives on disk (ENOENT), so callers handle both stores alike. */
function missingObject(key: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`No stored object ${key}`), { code: "ENOENT" });
}
