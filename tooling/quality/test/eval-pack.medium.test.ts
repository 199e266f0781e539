import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { MODEL_PACKS, pullPack } from "@bgr/engine";
import { startPackServer, tinySegmentationModel } from "@bgr/testing";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const EVAL = path.resolve(import.meta.dirname, "../src/eval.ts");

describe("pnpm eval on an installed model pack", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), "bgr-eval-pack-"));
    // Pull the tiny stand-in model as birefnet-general from a local origin.
    const tiny = tinySegmentationModel(1024);
    const origin = await startPackServer({ "pack.onnx": tiny });
    try {
      const pack = MODEL_PACKS.find((m) => m.id === "birefnet-general")!;
      await pullPack(path.join(work, "models"), pack, {
        url: origin.url("pack.onnx"),
        checksum: { algorithm: "sha256", hex: createHash("sha256").update(tiny).digest("hex") },
      });
    } finally {
      await origin.close();
    }
    await mkdir(path.join(work, "data"));
    // Photos whose ground truth is exactly what the tiny model sees: a white subject on black.
    for (const [id, left, top] of [
      ["box-a", 40, 30],
      ["box-b", 90, 20],
    ] as const) {
      const subject = { input: { create: { width: 70, height: 60, channels: 3 as const, background: "#ffffff" } }, left, top };
      const canvas = () => sharp({ create: { width: 200, height: 150, channels: 3, background: "#000000" } }).composite([subject]);
      await canvas()
        .jpeg({ quality: 95 })
        .toFile(path.join(work, "data", `${id}.jpg`));
      await canvas()
        .greyscale()
        .png()
        .toFile(path.join(work, "data", `${id}.alpha.png`));
    }
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("scores the tier with the pack it resolved to, and names that model in the report", { timeout: 120_000 }, async () => {
    const out = path.join(work, "report");
    const { stderr } = await run(
      process.execPath,
      [
        "--conditions=@bgr/source",
        "--import",
        "tsx",
        EVAL,
        "--data",
        path.join(work, "data"),
        "--out",
        out,
        "--tiers",
        "standard,industry",
        "--no-peer",
        "--cache-dir",
        path.join(work, "models"),
        "--tier-models",
        "standard=birefnet-general+isnet-fp16",
      ],
      {
        env: { ...process.env, INIT_CWD: work },
      },
    );
    expect(stderr).toContain("models: standard=birefnet-general, industry=birefnet-general");
    const report = JSON.parse(await readFile(path.join(out, "report.json"), "utf8"));
    expect(report.images).toBe(2);
    expect(report.tierModels).toEqual({ standard: "birefnet-general", industry: "birefnet-general" });
    // The stand-in model is right by construction on these photos; ISNet would not be this close.
    expect(report.rows.industry.mae).toBeLessThan(0.02);
    expect(report.rows.standard.mae).toBeLessThan(0.02);
  });

  it("re-scores from its inference cache with the same result, and reports worst images and groups", { timeout: 120_000 }, async () => {
    const cache = path.join(work, "predictions");
    const args = (out: string) => [
      "--conditions=@bgr/source",
      "--import",
      "tsx",
      EVAL,
      "--data",
      path.join(work, "data"),
      "--out",
      out,
      "--tiers",
      "standard",
      "--no-peer",
      "--cache-dir",
      path.join(work, "models"),
      "--tier-models",
      "standard=birefnet-general",
      "--inference-cache",
      cache,
    ];
    const env = { ...process.env, INIT_CWD: work };
    await run(process.execPath, args(path.join(work, "first")), { env });
    const stored = await readdir(cache);
    expect(stored).toHaveLength(2);
    await run(process.execPath, args(path.join(work, "second")), { env });
    expect(await readdir(cache)).toEqual(stored);
    const first = JSON.parse(await readFile(path.join(work, "first", "report.json"), "utf8"));
    const second = JSON.parse(await readFile(path.join(work, "second", "report.json"), "utf8"));
    expect(second.rows.standard.mae).toBe(first.rows.standard.mae);
    const markdown = await readFile(path.join(work, "second", "report.md"), "utf8");
    expect(markdown).toContain("## Worst five per row");
    expect(markdown).toMatch(/\| other \| 2 \|/);
  });
});
