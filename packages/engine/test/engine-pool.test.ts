import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineBusyError, EnginePool, InvalidImageError } from "../src/index.ts";

const CACHE_DIR = path.resolve(import.meta.dirname, "../../../data/models");
const PHOTO = path.resolve(import.meta.dirname, "../../../../shared/evaldata/dev/gc-teddy.jpg");

describe("EnginePool", () => {
  let pool: EnginePool;
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "bgr-pool-"));
    pool = await EnginePool.start({ engine: { cacheDir: CACHE_DIR }, workers: 1, maxQueue: 1 });
  });
  afterAll(async () => {
    await pool.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it("removes a background in a worker thread and returns the encoded image", async () => {
    const result = await pool.remove(await readFile(PHOTO), { tier: "basic" });
    const meta = await sharp(result.data).metadata();
    expect(meta.format).toBe("png");
    expect(meta.channels).toBe(4);
    expect([meta.width, meta.height]).toEqual([result.width, result.height]);
  });

  it("rebuilds typed errors from the worker", async () => {
    await expect(pool.remove(Buffer.from("not an image"), { tier: "basic" })).rejects.toBeInstanceOf(InvalidImageError);
  });

  it("refuses work beyond one running and one waiting", async () => {
    const bytes = await readFile(PHOTO);
    const running = pool.remove(bytes, { tier: "basic" });
    const waiting = pool.remove(bytes, { tier: "basic" });
    await expect(pool.remove(bytes, { tier: "basic" })).rejects.toBeInstanceOf(EngineBusyError);
    expect(pool.load).toBe(2);
    await Promise.all([running, waiting]);
    expect(pool.load).toBe(0);
  });
});
