import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngine, EngineBusyError, EnginePool, InvalidImageError, InvalidMatteError } from "../src/index.ts";
import { evalData } from "@bgr/testing";

const CACHE_DIR = path.resolve(import.meta.dirname, "../../../data/models");
const PHOTO = evalData("dev", "gc-teddy.jpg");

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

  it("reports ready only once each worker has loaded and run every tier's model", async () => {
    expect(pool.warmModels).toEqual([[...new Set(Object.values(pool.tierModels))]]);
    const cold = await EnginePool.start({ engine: { cacheDir: CACHE_DIR }, workers: 1, maxQueue: 1, warmUp: false });
    try {
      expect(cold.warmModels).toEqual([[]]);
    } finally {
      await cold.close();
    }
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

  it("composes with an external matte in a worker, as the engine does on this thread", async () => {
    const photo = await sharp(await readFile(PHOTO))
      .resize(64, 48)
      .jpeg()
      .toBuffer();
    const matte = await sharp(Buffer.from(Array.from({ length: 32 * 24 }, (_, i) => (i % 32) * 8)), {
      raw: { width: 32, height: 24, channels: 1 },
    })
      .png()
      .toBuffer();
    const options = { tier: "professional", background: "#ff00ff" } as const;
    const pooled = await pool.removeWithMatte(photo, matte, options, "test:remote");
    const direct = await (await createEngine({ cacheDir: CACHE_DIR })).removeWithMatte(photo, matte, options, "test:remote");
    expect(pooled.provider).toBe("test:remote");
    expect(pooled.data.equals(direct.data)).toBe(true);
    await expect(pool.removeWithMatte(photo, Buffer.from("truncated"), options)).rejects.toBeInstanceOf(InvalidMatteError);
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

  it("counts removals with an external matte against the same capacity", async () => {
    const bytes = await readFile(PHOTO);
    const matte = await sharp(new Uint8Array(64).fill(255), { raw: { width: 8, height: 8, channels: 1 } })
      .png()
      .toBuffer();
    const running = pool.remove(bytes, { tier: "basic" });
    const waiting = pool.removeWithMatte(bytes, matte, { tier: "basic" });
    await expect(pool.removeWithMatte(bytes, matte, { tier: "basic" })).rejects.toBeInstanceOf(EngineBusyError);
    expect(pool.load).toBe(2);
    expect((await waiting).provider).toBe("external");
    await running;
    expect(pool.load).toBe(0);
  });
});
