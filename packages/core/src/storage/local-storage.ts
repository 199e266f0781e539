import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Storage } from "./storage.ts";

/** Storage on local disk under one root directory. Writes go to a temp file and are renamed into place. */
export class LocalStorage implements Storage {
  constructor(private readonly root: string) {}

  async put(key: string, body: Uint8Array | Readable): Promise<number> {
    const target = this.path(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${Date.now()}.part`;
    try {
      if (body instanceof Readable) await pipeline(body, createWriteStream(temp));
      else await writeFile(temp, body);
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
    return (await stat(target)).size;
  }

  async get(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const file = this.path(key);
    await stat(file);
    return createReadStream(file, range);
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.path(key))).size;
    } catch {
      return null;
    }
  }

  /**
   * Removes the object, and its folder (a job's or batch's own) when that is left empty. Shared
   * folders above it stay: a concurrent put may be about to write into them.
   */
  async delete(key: string): Promise<void> {
    const file = this.path(key);
    await rm(file, { force: true });
    await rmdir(path.dirname(file)).catch(() => undefined); // not empty, or already gone
  }

  private path(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`Storage key escapes the root: ${key}`);
    return resolved;
  }
}
