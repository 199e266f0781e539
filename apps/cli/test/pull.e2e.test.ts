import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPackServer, tinySegmentationModel, type PackServer } from "@bgr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI_DIR = fileURLToPath(new URL("..", import.meta.url));
const TINY = tinySegmentationModel(1024, { paddingBytes: 512 * 1024 });
const TINY_SHA256 = createHash("sha256").update(TINY).digest("hex");

function bgr(cacheDir: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { INIT_CWD: _, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@bgr/source", "--import", "tsx", "src/main.ts", ...args], {
      cwd: CLI_DIR,
      env: { ...env, MODEL_CACHE_DIR: cacheDir },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("bgr models pull (end to end, against a local origin)", () => {
  let work: string;
  let server: PackServer;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "bgr-pull-"));
    server = await startPackServer({ "BiRefNet-general.onnx": TINY });
  });
  afterAll(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  it("installs a pack, reports progress and the tiers that switch to it; bgr models then shows it in use", async () => {
    const cacheDir = path.join(work, "ok");
    const run = await bgr(
      cacheDir,
      "models",
      "pull",
      "birefnet-general",
      "--url",
      server.url("BiRefNet-general.onnx"),
      "--sha256",
      TINY_SHA256,
    );
    expect(run.stderr).toContain(`Pulling birefnet-general (MIT, about 973 MB) from ${server.url("BiRefNet-general.onnx")}`);
    // Not a terminal: a line per tenth instead of a redrawn bar.
    expect(run.stderr).toMatch(/\[#{20}\] 100%\s+\d+ kB \/ \d+ kB/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Installed birefnet-general \(\d+ kB, sha256 verified\) at .*packs\/birefnet-general\.onnx$/m);
    expect(run.stdout).toContain("Tiers that use it now: industry.");

    const list = await bgr(cacheDir, "models");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^birefnet-general\s+MIT\s+\d+ kB\s+1024x1024\s+ready\s+industry\s/m);
    expect(list.stdout).toMatch(/^birefnet-general-lite\s+MIT\s+~224 MB\s+1024x1024\s+missing\s+-\s/m);
    expect(list.stdout).toMatch(
      /^industry\s+birefnet-general\s+birefnet-general, ben2-base \(missing\), birefnet-general-lite \(missing\), isnet-fp16$/m,
    );
    expect(list.stdout).toMatch(/^professional\s+isnet-fp16\s+birefnet-general-lite \(missing\), isnet-fp16$/m);
  });

  it("deletes a download that fails its checksum, says so, and exits 1", async () => {
    const cacheDir = path.join(work, "bad");
    const run = await bgr(cacheDir, "models", "pull", "birefnet-portrait", "--url", server.url("BiRefNet-general.onnx"));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("bgr: Checksum mismatch for birefnet-portrait");
    expect(run.stderr).toContain("md5:c3a64a6abf20250d090cd055f12a3b67 was expected. The download was deleted and nothing was installed.");
    expect(await readdir(path.join(cacheDir, "packs"))).toEqual([]);
  });

  it("refuses an unknown pack or a malformed checksum as a usage error", async () => {
    const unknown = await bgr(path.join(work, "x"), "models", "pull", "rmbg-2.0");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '"rmbg-2.0" is not a model pack. Packs: birefnet-general, birefnet-general-lite, birefnet-portrait, ben2-base.',
    );
    const bad = await bgr(path.join(work, "x"), "models", "pull", "ben2-base", "--sha256", "abc");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--sha256: "abc" is not a checksum');
  });
});
