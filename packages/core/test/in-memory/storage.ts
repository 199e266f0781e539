import { Readable } from "node:stream";
import type { Storage } from "../../src/storage/storage.ts";

/** Objects in a map (LocalStorage and S3Storage share storage-contract.medium.test.ts). */
export class InMemoryStorage implements Storage {
  readonly objects = new Map<string, Buffer>();

  async put(key: string, body: Uint8Array | Readable): Promise<number> {
    const chunks: Buffer[] = [];
    if (body instanceof Readable) for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    else chunks.push(Buffer.from(body));
    const bytes = Buffer.concat(chunks);
    this.objects.set(key, bytes);
    return bytes.length;
  }

  async get(key: string): Promise<Readable> {
    const bytes = this.objects.get(key);
    if (!bytes) throw Object.assign(new Error(`no object ${key}`), { code: "ENOENT" });
    return Readable.from([bytes]);
  }

  async size(key: string): Promise<number | null> {
    return this.objects.get(key)?.length ?? null;
  }

  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
}
