import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ChecksumMismatchError,
  createEngine,
  DownloadError,
  EnginePool,
  MODEL_PACKS,
  ModelUnavailableError,
  packPaths,
  pullPack,
  readPackReceipt,
} from "../src/index.ts";
import type { PackModelDefinition } from "../src/index.ts";
import { startPackServer, tinySegmentationModel, type PackServer } from "@bgr/testing";

// The tiny model takes the registry's 1024² input, so it stands in for a real pack unchanged.
const TINY = tinySegmentationModel(1024, { paddingBytes: 256 * 1024 });
const TINY_SHA256 = createHash("sha256").update(TINY).digest("hex");
const TINY_MD5 = createHash("md5").update(TINY).digest("hex");
const pack = (id: string) => MODEL_PACKS.find((m) => m.id === id)!;
/** A registry entry as if upstream published the tiny model: same processing, our URL and md5. */
const asPublished = (id: string, server: PackServer): PackModelDefinition => ({
  ...pack(id),
  source: { ...pack(id).source, url: server.url("tiny.onnx"), checksum: { algorithm: "md5", hex: TINY_MD5 } },
});

let root: string;
let servers: PackServer[] = [];
const serve = async (options?: Parameters<typeof startPackServer>[1]) => {
  const server = await startPackServer({ "tiny.onnx": TINY }, options);
  servers.push(server);
  return server;
};
const freshCache = () => mkdtemp(path.join(root, "cache-"));

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "engine-packs-"));
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the model pack registry", () => {
  it("lists BiRefNet general, lite and portrait and BEN2 base, all MIT, with upstream URLs and checksums", () => {
    expect(MODEL_PACKS.map((m) => m.id)).toEqual(["birefnet-general", "birefnet-general-lite", "birefnet-portrait", "ben2-base"]);
    for (const model of MODEL_PACKS) {
      expect(model.licence).toBe("MIT");
      expect(model.source.url).toMatch(/^https:\/\/(github\.com\/danielgatis\/rembg\/releases|huggingface\.co\/PramaLLC)\//);
      expect(model.source.checksum.hex).toMatch(model.source.checksum.algorithm === "md5" ? /^[0-9a-f]{32}$/ : /^[0-9a-f]{64}$/);
      expect(model.inputSize).toBe(1024);
      expect(model.minMaxNormalise).toBe(true);
    }
    const birefnet = MODEL_PACKS.filter((m) => m.id.startsWith("birefnet"));
    for (const model of birefnet) {
      expect([model.mean, model.std]).toEqual([
        [0.485, 0.456, 0.406],
        [0.229, 0.224, 0.225],
      ]);
      expect(model.outputIsProbability).toBe(false);
    }
    expect(pack("birefnet-general").source.checksum).toEqual({ algorithm: "md5", hex: "7a35a0141cbbc80de11d9c9a28f52697" });
  });

  it("does not list non-commercial weights", () => {
    for (const model of MODEL_PACKS) expect(`${model.id} ${model.source.url}`).not.toMatch(/rmbg|bria/i);
  });
});

describe("pullPack", () => {
  it("streams the file, verifies it and installs it with a receipt, leaving no part file", async () => {
    const server = await serve();
    const cacheDir = await freshCache();
    const progress: number[] = [];
    const result = await pullPack(cacheDir, asPublished("birefnet-general", server), { onProgress: (p) => progress.push(p.bytes) });

    const paths = packPaths(cacheDir, "birefnet-general");
    expect(result.file).toBe(paths.file);
    expect((await readFile(paths.file)).equals(TINY)).toBe(true);
    expect(await readdir(paths.dir)).toEqual(["birefnet-general.json", "birefnet-general.onnx"]);
    expect(await readPackReceipt(cacheDir, "birefnet-general")).toMatchObject({
      url: server.url("tiny.onnx"),
      verifiedAgainst: { algorithm: "md5", hex: TINY_MD5 },
      sha256: TINY_SHA256,
      bytes: TINY.length,
    });
    expect(progress.at(-1)).toBe(TINY.length);
    expect(progress.length).toBeGreaterThan(2);
    expect(server.ranges).toEqual([null]);
  });

  it("resumes with a Range request after the connection is cut, fetching no byte twice", async () => {
    const cutAt = 100_000;
    const server = await serve({ cut: { count: 1, afterBytes: cutAt } });
    const cacheDir = await freshCache();
    const result = await pullPack(cacheDir, asPublished("birefnet-general", server), { retryDelayMs: 10 });
    // Bytes still in flight when the connection dropped are lost, so the resume point is what reached the disk.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(server.ranges[1] ?? "")?.[1]);
    expect(server.ranges).toHaveLength(2);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(cutAt);
    expect(server.bytesSent).toBe(cutAt + TINY.length - resumedAt);
    expect((await readFile(result.file)).equals(TINY)).toBe(true);
  });

  it("keeps the part file when every try is cut, and the next pull resumes it", async () => {
    const cutAt = 120_000;
    const cutting = await serve({ cut: { count: 5, afterBytes: cutAt } });
    const cacheDir = await freshCache();
    const error = await pullPack(cacheDir, asPublished("birefnet-general", cutting), { attempts: 1 }).catch((e: unknown) => e);
    const { part } = packPaths(cacheDir, "birefnet-general");
    const kept = (await stat(part)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(cutAt);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toContain(`stopped after ${kept} bytes (connection lost`);
    expect((error as Error).message).toContain(`Run the same command again: it resumes from ${part}`);
    expect(await readPackReceipt(cacheDir, "birefnet-general")).toBeNull();

    const healthy = await serve();
    const result = await pullPack(cacheDir, asPublished("birefnet-general", healthy));
    expect(result.resumedFrom).toBe(kept);
    expect(healthy.ranges).toEqual([`bytes=${kept}-`]);
    expect(healthy.bytesSent).toBe(TINY.length - kept);
    expect((await readFile(result.file)).equals(TINY)).toBe(true);
  });

  it("starts over when the server ignores Range and sends the whole file", async () => {
    const server = await serve({ ignoreRange: true });
    const cacheDir = await freshCache();
    const { dir, part } = packPaths(cacheDir, "birefnet-general");
    await mkdir(dir, { recursive: true });
    // Zeros, not the file's first bytes: appending the whole file to them could never verify.
    await writeFile(part, Buffer.alloc(5000));
    const result = await pullPack(cacheDir, asPublished("birefnet-general", server));
    expect(server.ranges).toEqual(["bytes=5000-"]);
    expect((await readFile(result.file)).equals(TINY)).toBe(true);
  });

  it("deletes a download whose checksum does not match the published one, says so, and installs nothing", async () => {
    const server = await serve();
    const cacheDir = await freshCache();
    // The registry's real md5 of BiRefNet, against the tiny model's bytes.
    const model = { ...pack("birefnet-general"), source: { ...pack("birefnet-general").source, url: server.url("tiny.onnx") } };
    const error = await pullPack(cacheDir, model).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect((error as Error).message).toContain(`md5 ${TINY_MD5}`);
    expect((error as Error).message).toContain("md5:7a35a0141cbbc80de11d9c9a28f52697");
    expect((error as Error).message).toContain("The download was deleted and nothing was installed");
    expect(await readdir(packPaths(cacheDir, "birefnet-general").dir)).toEqual([]);
    expect(await readPackReceipt(cacheDir, "birefnet-general")).toBeNull();
  });

  it("accepts an operator's URL and sha256 in place of the registry's", async () => {
    const server = await serve();
    const cacheDir = await freshCache();
    const result = await pullPack(cacheDir, pack("ben2-base"), {
      url: server.url("tiny.onnx"),
      checksum: { algorithm: "sha256", hex: TINY_SHA256 },
    });
    expect(result.receipt.verifiedAgainst).toEqual({ algorithm: "sha256", hex: TINY_SHA256 });
  });

  it("says which status a refusing server gave", async () => {
    const server = await serve();
    const model = { ...pack("birefnet-general"), source: { ...pack("birefnet-general").source, url: server.url("missing.onnx") } };
    await expect(pullPack(await freshCache(), model)).rejects.toThrow(/answered HTTP 404; check the URL/);
  });
});

describe("tiers with model packs", () => {
  const photo = () =>
    sharp({ create: { width: 96, height: 64, channels: 3, background: "#000000" } })
      .composite([{ input: { create: { width: 40, height: 30, channels: 3, background: "#ffffff" } }, left: 28, top: 17 }])
      .png()
      .toBuffer();

  it("use the first installed model of their list, and fall back when the pack is gone", async () => {
    const server = await serve();
    const cacheDir = await freshCache();
    const before = await createEngine({ cacheDir });
    expect(["basic", "standard", "professional", "industry"].map((t) => before.tier(t as "basic").model)).toEqual([
      "isnet-int8-qdq",
      "isnet-fp16",
      "isnet-fp16",
      "isnet-fp16",
    ]);
    expect((await before.models()).find((m) => m.definition.id === "birefnet-general")?.availability).toBe("missing");

    await pullPack(cacheDir, asPublished("birefnet-general-lite", server));
    const lite = await createEngine({ cacheDir });
    expect([lite.tier("professional").model, lite.tier("industry").model]).toEqual(["birefnet-general-lite", "birefnet-general-lite"]);

    await pullPack(cacheDir, asPublished("birefnet-general", server));
    const after = await createEngine({ cacheDir });
    expect([after.tier("standard").model, after.tier("professional").model, after.tier("industry").model]).toEqual([
      "isnet-fp16",
      "birefnet-general-lite",
      "birefnet-general",
    ]);
    expect((await after.models()).find((m) => m.definition.id === "birefnet-general")?.availability).toBe("ready");

    // The real ONNX Runtime runs the pulled file through the tier's whole pipeline.
    const result = await after.remove(await photo(), { tier: "industry", result: "mask" });
    expect(result.provider).toBe("local:birefnet-general");
    const { data, info } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => data[(y * info.width + x) * info.channels]!;
    expect(at(48, 32)).toBeGreaterThan(240);
    expect(at(4, 4)).toBeLessThan(15);

    await rm(packPaths(cacheDir, "birefnet-general").receipt);
    expect((await createEngine({ cacheDir })).tier("industry").model).toBe("birefnet-general-lite");
  });

  it("can be given their own model list, and refuse an unknown model at start", async () => {
    const cacheDir = await freshCache();
    const engine = await createEngine({ cacheDir, tierModels: { industry: ["birefnet-portrait", "isnet-fp16"] } });
    expect(engine.tier("industry").model).toBe("isnet-fp16");
    await expect(createEngine({ cacheDir, tierModels: { basic: ["no-such-model"] } })).rejects.toThrow(/Unknown model "no-such-model"/);
  });

  it("refuse an installed pack whose bytes changed, and say how to repair it", async () => {
    const server = await serve();
    const cacheDir = await freshCache();
    const { file } = await pullPack(cacheDir, asPublished("birefnet-general", server));
    const damaged = Buffer.from(TINY);
    damaged[damaged.length - 1] = 0xff - damaged[damaged.length - 1]!;
    await writeFile(file, damaged);
    const engine = await createEngine({ cacheDir });
    expect(engine.tier("industry").model).toBe("birefnet-general");
    const error = await engine.remove(await photo(), { tier: "industry" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect((error as Error).message).toMatch(/Pull it again: bgr models pull birefnet-general/);
  });

  it("are resolved once by the pool and reported with the model each uses", async () => {
    const server = await serve();
    const cacheDir = await freshCache();
    await pullPack(cacheDir, asPublished("birefnet-general", server));
    const pool = await EnginePool.start({ engine: { cacheDir }, workers: 1, maxQueue: 1 });
    try {
      expect(pool.tierModels).toEqual({
        basic: "isnet-int8-qdq",
        standard: "isnet-fp16",
        professional: "isnet-fp16",
        industry: "birefnet-general",
      });
      const result = await pool.remove(await photo(), { tier: "industry" });
      expect(result.provider).toBe("local:birefnet-general");
    } finally {
      await pool.close();
    }
  });
});
