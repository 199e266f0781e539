import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
// @ts-expect-error s3rver ships no types; its constructor, run() and close() are all that is used.
import S3rver from "s3rver";

/** A real S3-protocol server on 127.0.0.1 (s3rver), with one empty bucket, for storage tests. */
export interface TestS3Server {
  endpoint: string;
  bucket: string;
  region: string;
  /** s3rver's fixed keys; the SDK signs with them and s3rver checks the signature. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

export async function startS3Server(bucket = "bgr-test"): Promise<TestS3Server> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "bgr-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: "us-east-1",
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
