import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalStorage } from "../src/storage/local-storage.ts";
import { S3Storage } from "../src/storage/s3-storage.ts";
import { readObject, type Storage } from "../src/storage/storage.ts";
import { startS3Server, type TestS3Server } from "@bgr/testing";

let s3: TestS3Server;
let dir: string;
const stores: Record<string, Storage> = {};

beforeAll(async () => {
  s3 = await startS3Server();
  dir = await mkdtemp(path.join(os.tmpdir(), "bgr-local-"));
  stores.local = new LocalStorage(dir);
  stores.s3 = new S3Storage({
    bucket: s3.bucket,
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: s3.credentials,
  });
});
afterAll(async () => {
  (stores.s3 as S3Storage | undefined)?.close();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("latin1");
}

/** The same contract, run against local disk and a real S3-protocol server. */
for (const name of ["local", "s3"] as const) {
  describe(`storage contract: ${name}`, () => {
    it("puts bytes, reads them whole and by byte range, and knows their size", async () => {
      const store = stores[name]!;
      const key = "users/u1/jobs/job_1/result.png";
      expect(await store.put(key, Buffer.from("0123456789"))).toBe(10);
      expect(await store.size(key)).toBe(10);
      expect((await readObject(store, key)).toString()).toBe("0123456789");
      expect(await text(await store.get(key, { start: 2, end: 5 }))).toBe("2345");
    });

    it("streams a large upload in parts without buffering it whole, and counts its size", async () => {
      const store = stores[name]!;
      const key = "users/u1/batches/bat_1/result.zip";
      // 20 MiB in 1 MiB chunks, a pattern that tells a misplaced part from the right one.
      const chunk = (i: number) => Buffer.alloc(1024 * 1024, i % 251);
      const body = Readable.from(
        (function* () {
          for (let i = 0; i < 20; i += 1) yield chunk(i);
        })(),
      );
      expect(await store.put(key, body)).toBe(20 * 1024 * 1024);
      expect(await store.size(key)).toBe(20 * 1024 * 1024);
      const tail = Buffer.from(await text(await store.get(key, { start: 19 * 1024 * 1024 - 1, end: 19 * 1024 * 1024 })), "latin1");
      expect([...tail]).toEqual([18, 19]);
    });

    it("says a missing object is missing: size null, get rejects, delete succeeds", async () => {
      const store = stores[name]!;
      const key = "users/u1/jobs/job_missing/original.jpg";
      expect(await store.size(key)).toBeNull();
      await expect(store.get(key)).rejects.toMatchObject({ code: "ENOENT" });
      await store.delete(key);
    });

    it("deletes an object, and a second delete is harmless", async () => {
      const store = stores[name]!;
      const key = "users/u2/jobs/job_2/original.jpg";
      await store.put(key, Buffer.from("original"));
      await store.delete(key);
      await store.delete(key);
      expect(await store.size(key)).toBeNull();
    });

    it("overwrites an object in place (a retried item writes its result again)", async () => {
      const store = stores[name]!;
      const key = "users/u3/jobs/job_3/result.webp";
      await store.put(key, Buffer.from("first"));
      await store.put(key, Buffer.from("second!"));
      expect((await readObject(store, key)).toString()).toBe("second!");
    });
  });
}
