import { parseSettings } from "@bgr/domain";
import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createEngine,
  EnginePool,
  InvalidImageError,
  InvalidOptionsError,
  type RemovalEngine,
  type RemoveOptions,
  type TierName,
} from "@bgr/engine";
import {
  createRemovalRunner,
  ProviderRouter,
  providersConfigOf,
  providersSettingsSchema,
  type HttpPolicy,
  type LocalRemovalBackend,
  type ProvidersConfig,
} from "../src/index.ts";
import { answer, segmentsJson, startFakeService, wait, type Behaviour, type FakeService } from "./support/fake-service.ts";
import { evalData } from "@bgr/testing";

const readProvidersConfig = (env: Record<string, string | undefined>) =>
  providersConfigOf(parseSettings(providersSettingsSchema, env, "Remote provider settings are invalid"));

const REPO = path.resolve(import.meta.dirname, "../../..");
const CACHE_DIR = path.join(REPO, "data/models");
const PHOTO = evalData("dev", "gc-teddy.jpg");

const W = 96,
  H = 64;
const HF = "huggingface:briaai/RMBG-1.4";
const SEGMIND = "segmind:bg-removal-v2";

// Short limits keep the failure cases quick. undici checks headers/body timeouts about once a second.
const FAST: HttpPolicy = {
  connectTimeoutMs: 500,
  headersTimeoutMs: 300,
  bodyTimeoutMs: 300,
  attemptTimeoutMs: 5_000,
  maxAttempts: 3,
  backoffMs: 5,
  maxBackoffMs: 50,
  maxResponseBytes: 256 * 1024,
};

/** Every value 0..255 with hard and soft edges: a matte the local model would never make. */
function syntheticMatte(width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[y * width + x] = x < width / 3 ? 0 : x < (2 * width) / 3 ? (x * 7 + y * 3) % 256 : 255;
  }
  return out;
}
const greyPng = (values: Uint8Array, width: number, height: number) =>
  sharp(values, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();

async function pixels(data: Uint8Array) {
  const { data: px, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
  return { px, ...info };
}
const channel = (px: Uint8Array, channels: number, c: number) => px.filter((_, i) => i % channels === c);
/** A mask result's grey values (sharp may hand a grey PNG back as RGB). */
const greyOf = async (data: Uint8Array) => {
  const out = await pixels(data);
  return [...channel(out.px, out.channels, 0)];
};

describe("ProviderRouter over the local engine", () => {
  let engine: RemovalEngine;
  let photo: Buffer;
  let matte: Uint8Array;
  let maskPng: Buffer;
  let hf: FakeService;
  let segmind: FakeService;
  const logs: string[] = [];
  const clock = { now: 0 };
  const routers: ProviderRouter[] = [];

  /** A runner as the app would build it, with the fakes' URLs, FAST limits and the test clock. */
  function runner(
    env: Record<string, string>,
    overrides: { http?: Partial<HttpPolicy>; breaker?: ProvidersConfig["breaker"] } = {},
    local: LocalRemovalBackend = engine,
  ) {
    const config = readProvidersConfig({ HUGGINGFACE_API_URL: hf.url, SEGMIND_API_URL: segmind.url, ...env });
    const built = createRemovalRunner(
      local,
      { ...config, http: { ...FAST, ...overrides.http }, breaker: overrides.breaker ?? config.breaker },
      { log: (l) => logs.push(l), now: () => clock.now },
    );
    if (built instanceof ProviderRouter) routers.push(built);
    return built;
  }
  const hfFor = (tier: TierName, extra: Record<string, string> = {}) => ({
    HUGGINGFACE_API_KEY: "hf_test",
    REMOTE_PROVIDER_TIERS: `${tier}=huggingface`,
    ...extra,
  });
  const hfAnswersMask: Behaviour = (_call, res) => answer(res, 200, "application/json", segmentsJson([{ mask: maskPng }]));

  /** The result came from the local model: named so, and its alpha is not the provider's matte. */
  async function expectLocal(result: { provider?: string; data: Buffer }, model = "isnet-int8-qdq") {
    expect(result.provider).toBe(`local:${model}`);
    const out = await pixels(result.data);
    expect([...channel(out.px, out.channels, out.channels - 1)]).not.toEqual([...matte]);
  }

  beforeAll(async () => {
    engine = await createEngine({ cacheDir: CACHE_DIR });
    photo = await sharp(await readFile(PHOTO))
      .resize(W, H, { fit: "fill" })
      .jpeg()
      .toBuffer();
    matte = syntheticMatte(W, H);
    maskPng = await greyPng(matte, W, H);
    [hf, segmind] = await Promise.all([startFakeService("/models"), startFakeService("/v1")]);
    await engine.warmUp(["basic"]);
  });
  afterEach(async () => {
    await Promise.all(routers.splice(0).map((r) => r.close()));
    hf.calls.length = 0;
    segmind.calls.length = 0;
    logs.length = 0;
    clock.now = 0;
  });
  afterAll(async () => {
    await Promise.all([hf.close(), segmind.close()]);
  });

  it("Hugging Face: the cut-out's alpha is the provider's mask, and the result names the provider", async () => {
    hf.behave(hfAnswersMask);
    const result = await runner(hfFor("basic")).remove(photo, { tier: "basic" });
    expect(result.provider).toBe(HF);
    const out = await pixels(result.data);
    expect([out.width, out.height, out.channels]).toEqual([W, H, 4]);
    expect([...channel(out.px, 4, 3)]).toEqual([...matte]);
    expect(hf.calls).toHaveLength(1);
    expect(hf.calls[0]).toMatchObject({ path: "/models/briaai/RMBG-1.4", body: photo });
    expect(logs).toEqual([]);
  });

  it("Segmind: an RGBA cut-out's alpha becomes the result's matte", async () => {
    // Colours whose luminance is the inverse of the alpha: reading luminance instead would fail.
    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba.set([255 - matte[i]!, 255 - matte[i]!, 255 - matte[i]!, matte[i]!], i * 4);
    const cutout = await sharp(rgba, { raw: { width: W, height: H, channels: 4 } })
      .png()
      .toBuffer();
    segmind.behave((_call, res) => answer(res, 200, "image/png", cutout));
    const result = await runner({ SEGMIND_API_KEY: "sg_test", REMOTE_PROVIDER_TIERS: "standard=segmind" }).remove(photo, {
      tier: "standard",
      result: "mask",
    });
    expect(result.provider).toBe(SEGMIND);
    expect(await greyOf(result.data)).toEqual([...matte]);
    expect(JSON.parse(segmind.calls[0]!.body.toString())).toEqual({ image: photo.toString("base64") });
  });

  it("applies output options and the tier's decontamination exactly as the engine does with that matte", async () => {
    hf.behave(hfAnswersMask);
    const router = runner(hfFor("professional"));
    const variants: RemoveOptions[] = [
      { tier: "professional" },
      { tier: "professional", format: "jpg", background: "#336699", crop: { marginPx: 2 } },
      { tier: "professional", format: "webp", result: "mask" },
    ];
    for (const options of variants) {
      const remote = await router.remove(photo, options);
      const direct = await engine.removeWithMatte(photo, maskPng, options, HF);
      expect(remote.data.equals(direct.data)).toBe(true);
      expect([remote.mime, remote.width, remote.height, remote.provider]).toEqual([direct.mime, direct.width, direct.height, HF]);
    }
  });

  it("without an API key the remote is never called: the runner is the local engine itself", () => {
    const built = runner({ REMOTE_PROVIDER_TIERS: "basic=huggingface,standard=segmind" });
    expect(built).toBe(engine);
  });

  it("a tier whose provider has no key runs locally even when another provider has one", async () => {
    segmind.behave((_call, res) => answer(res, 200, "image/png", maskPng));
    const router = runner({ HUGGINGFACE_API_KEY: "hf_test", REMOTE_PROVIDER_TIERS: "basic=huggingface,standard=segmind" });
    expect(router).toBeInstanceOf(ProviderRouter);
    await expectLocal(await router.remove(photo, { tier: "standard", result: "mask" }), "isnet-fp16");
    expect(segmind.calls).toHaveLength(0);
    expect(hf.calls).toHaveLength(0);
  });

  it("falls back to the local model when the provider is too slow (after a retry)", async () => {
    hf.behave(async (_call, res) => {
      await wait(4_000);
      hfAnswersMask(_call, res, 0);
    });
    const result = await runner(hfFor("basic"), { http: { maxAttempts: 2 } }).remove(photo, { tier: "basic" });
    await expectLocal(result);
    expect(hf.calls).toHaveLength(2);
    expect(logs.join("\n")).toMatch(/huggingface:briaai\/RMBG-1.4 failed .*timed out/);
  });

  it("retries 500s, then falls back to the local model", async () => {
    hf.behave((_call, res) => answer(res, 500, "application/json", '{"error":"internal"}'));
    await expectLocal(await runner(hfFor("basic")).remove(photo, { tier: "basic" }));
    expect(hf.calls).toHaveLength(3);
    expect(logs.join("\n")).toMatch(/HTTP 500/);
  });

  it("falls back when the connection is cut mid-body", async () => {
    const body = Buffer.from(segmentsJson([{ mask: maskPng }]));
    hf.behave((_call, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
    });
    await expectLocal(await runner(hfFor("basic")).remove(photo, { tier: "basic" }));
    expect(hf.calls).toHaveLength(3);
  });

  it("falls back when a complete answer holds a truncated image (the matte cannot be read)", async () => {
    hf.behave((_call, res) => answer(res, 200, "application/json", segmentsJson([{ mask: maskPng.subarray(0, maskPng.length >> 1) }])));
    await expectLocal(await runner(hfFor("basic")).remove(photo, { tier: "basic" }));
    expect(hf.calls).toHaveLength(1);
    expect(logs.join("\n")).toMatch(/matte is not a readable image/);
  });

  it("retries a 429 and uses the provider when the retry succeeds", async () => {
    hf.behave((call, res, n) =>
      n === 1 ? answer(res, 429, "application/json", '{"error":"rate limited"}', { "retry-after": "0" }) : hfAnswersMask(call, res, n),
    );
    const result = await runner(hfFor("basic")).remove(photo, { tier: "basic" });
    expect(result.provider).toBe(HF);
    expect(hf.calls).toHaveLength(2);
  });

  it("falls back, without retrying, when the answer is larger than allowed", async () => {
    hf.behave((_call, res) => answer(res, 200, "image/png", Buffer.alloc(20_000)));
    await expectLocal(await runner(hfFor("basic"), { http: { maxResponseBytes: 10_000 } }).remove(photo, { tier: "basic" }));
    expect(hf.calls).toHaveLength(1);
  });

  it("opens the breaker after N failures (no calls while open) and closes it after a good trial", async () => {
    let healthy = false;
    hf.behave((call, res, n) => (healthy ? hfAnswersMask(call, res, n) : answer(res, 503, "text/plain", "down")));
    const router = runner(hfFor("basic"), { http: { maxAttempts: 1 }, breaker: { failureThreshold: 2, cooldownMs: 10_000 } });
    const options = { tier: "basic", result: "mask" } as const;

    await expectLocal(await router.remove(photo, options));
    await expectLocal(await router.remove(photo, options));
    expect(hf.calls).toHaveLength(2);
    expect(logs.at(-1)).toMatch(/paused for 10 s after 2 failures/);

    // Open: straight to the local model, even though the service is back.
    healthy = true;
    clock.now = 9_999;
    await expectLocal(await router.remove(photo, options));
    expect(hf.calls).toHaveLength(2);

    // Half-open: one trial; it succeeds, so the circuit closes and later calls go out again.
    clock.now = 10_000;
    expect((await router.remove(photo, options)).provider).toBe(HF);
    expect((await router.remove(photo, options)).provider).toBe(HF);
    expect(hf.calls).toHaveLength(4);
  });

  it("refuses bad options and bad images with the engine's errors before calling out", async () => {
    hf.behave(hfAnswersMask);
    const router = runner({ HUGGINGFACE_API_KEY: "hf_test", REMOTE_PROVIDER_TIERS: "basic=huggingface,professional=huggingface" });
    await expect(router.remove(photo, { tier: "basic", format: "jpg" })).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(router.remove(photo, { tier: "ultra" as TierName })).rejects.toBeInstanceOf(InvalidOptionsError);
    await expect(router.remove(new Uint8Array(0), { tier: "basic" })).rejects.toBeInstanceOf(InvalidImageError);
    await expect(router.remove(Buffer.from("<html>not an image</html>"), { tier: "professional" })).rejects.toBeInstanceOf(
      InvalidImageError,
    );
    expect(hf.calls).toHaveLength(0);
  });

  it("sends an EXIF-rotated photo upright, so the matte lines up with the result", async () => {
    // Stored 64 wide, 96 high, turned 90° by EXIF orientation 8: upright it is W x H like the others.
    const stored = await sharp(photo).rotate(90).withMetadata({ orientation: 8 }).jpeg().toBuffer();
    hf.behave(hfAnswersMask);
    const result = await runner(hfFor("basic")).remove(stored, { tier: "basic", result: "mask" });
    const sent = await sharp(hf.calls[0]!.body).metadata();
    expect([sent.width, sent.height, sent.orientation ?? 1]).toEqual([W, H, 1]);
    expect([result.width, result.height]).toEqual([W, H]);
    expect(await greyOf(result.data)).toEqual([...matte]);
  });

  describe("through the EnginePool's worker threads", () => {
    let pool: EnginePool;
    beforeAll(async () => {
      pool = await EnginePool.start({ engine: { cacheDir: CACHE_DIR }, workers: 1, maxQueue: 2 });
    });
    afterAll(async () => {
      await pool.close();
    });

    it("composes the provider's matte in a worker, and falls back when the worker cannot read it", async () => {
      hf.behave((call, res, n) => (n === 1 ? hfAnswersMask(call, res, n) : answer(res, 200, "image/png", Buffer.from("not a png"))));
      const router = runner(hfFor("basic"), {}, pool);
      const remote = await router.remove(photo, { tier: "basic", result: "mask" });
      expect(remote.provider).toBe(HF);
      expect(await greyOf(remote.data)).toEqual([...matte]);
      await expectLocal(await router.remove(photo, { tier: "basic", result: "mask" }));
      expect(hf.calls).toHaveLength(2);
    });
  });
});
