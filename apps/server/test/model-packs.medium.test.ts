import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { backgroundRemovalJobs } from "@bgr/db";
import { MODEL_PACKS, pullPack } from "@bgr/engine";
import { startPackServer, tinySegmentationModel } from "@bgr/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env.ts";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let cacheDir: string;

beforeAll(async () => {
  // A model cache holding one pulled pack (the tiny stand-in model, served by a local origin).
  cacheDir = await mkdtemp(path.join(os.tmpdir(), "bgr-server-packs-"));
  const tiny = tinySegmentationModel(1024);
  const origin = await startPackServer({ "pack.onnx": tiny });
  try {
    const pack = MODEL_PACKS.find((m) => m.id === "birefnet-general")!;
    await pullPack(cacheDir, pack, {
      url: origin.url("pack.onnx"),
      checksum: { algorithm: "sha256", hex: createHash("sha256").update(tiny).digest("hex") },
    });
  } finally {
    await origin.close();
  }
  server = await startTestServer({ MODEL_CACHE_DIR: cacheDir });
});
afterAll(async () => {
  await server?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe("tiers served by an installed model pack", () => {
  const expected = [
    { tier: "basic", credits: 3, model: "isnet-int8-qdq", remote: null },
    { tier: "standard", credits: 8, model: "isnet-fp16", remote: null },
    { tier: "professional", credits: 15, model: "isnet-fp16", remote: null },
    { tier: "industry", credits: 25, model: "birefnet-general", remote: null },
  ];

  it("GET /pricing and the tRPC tier list say which model serves each tier", async () => {
    const token = await server.userWithCredits("lister", 0);
    const rest = (await (await fetch(`${server.api}/pricing`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    expect(rest).toEqual({ success: true, data: { tiers: expected } });
    const trpc = (await (await fetch(`${server.url}/api/trpc/pricing.tierList`)).json()) as any;
    expect(trpc.result.data).toEqual(expected);
  });

  it("records the model actually used on the job row", async () => {
    const token = await server.userWithCredits("packer", 30);
    const response = await fetch(`${server.api}/remove`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: imageForm(await readFile(path.join(DEV_DATA, "gc-teddy.jpg")), { tier: "industry" }),
    });
    const body = (await response.json()) as any;
    expect(response.status).toBe(200);
    expect(body.data).toMatchObject({ status: "completed", tier: "industry", creditsUsed: 25 });
    const [row] = await server.database.db
      .select({ aiProvider: backgroundRemovalJobs.aiProvider, modelName: backgroundRemovalJobs.modelName })
      .from(backgroundRemovalJobs)
      .where(eq(backgroundRemovalJobs.id, body.data.jobId));
    expect(row).toEqual({ aiProvider: "local", modelName: "birefnet-general" });
  });
});

describe("TIER_MODELS", () => {
  it("gives a tier its own model list, best first", async () => {
    const custom = await startTestServer({
      MODEL_CACHE_DIR: cacheDir,
      TIER_MODELS: "professional=birefnet-general+isnet-fp16, industry=birefnet-portrait+isnet-fp16",
    });
    try {
      const trpc = (await (await fetch(`${custom.url}/api/trpc/pricing.tierList`)).json()) as any;
      expect(trpc.result.data.map((t: { model: string }) => t.model)).toEqual([
        "isnet-int8-qdq",
        "isnet-fp16",
        "birefnet-general",
        "isnet-fp16",
      ]);
    } finally {
      await custom.close();
    }
  });

  it("refuses a malformed value at start, saying what to write", () => {
    expect(() => readEnv({ TIER_MODELS: "gold=isnet-fp16" })).toThrow(
      /TIER_MODELS: Unknown tier "gold".*e\.g\. industry=birefnet-portrait\+isnet-fp16/s,
    );
  });
});
