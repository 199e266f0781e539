import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evalData } from "@bgr/testing";

const CLI_DIR = fileURLToPath(new URL("..", import.meta.url));
// Read in place at run time; evaluation images are never copied into the repository.
const EVAL_DIR = evalData("dev");
const IMAGES = [
  { file: "gc-teddy.jpg", width: 284, height: 398 },
  { file: "gc-189080.jpg", width: 321, height: 481 },
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source (`node --import tsx src/main.ts ...args`, what bin/bgr.js runs once built), without pnpm's INIT_CWD so paths resolve against cwd. */
function bgr(...args: string[]): Promise<Run> {
  const { INIT_CWD: _, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@bgr/source", "--import", "tsx", "src/main.ts", ...args], { cwd: CLI_DIR, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("bgr (end to end)", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "bgr-e2e-"));
    await writeFile(path.join(work, "bad.png"), "this is text, not a PNG\n");
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("lists the built-in models", async () => {
    const run = await bgr("models");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^isnet-uint8-dynamic\s/m);
    expect(run.stdout).toMatch(/^isnet-fp16\s/m);
    expect(run.stdout).toMatch(/^isnet-int8-qdq\s/m);
  });

  it("cuts out good images, reports the bad one, keeps going and exits 1", async () => {
    const out = path.join(work, "out");
    const inputs = IMAGES.map((image) => path.join(EVAL_DIR, image.file));
    const run = await bgr("remove", inputs[0]!, path.join(work, "bad.png"), inputs[1]!, "--tier", "basic", "--out", out);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .*bad\.png: .+/m);
    for (const image of IMAGES) {
      const output = path.join(out, image.file.replace(/\.jpg$/, ".png"));
      const meta = await sharp(output).metadata();
      expect(meta).toMatchObject({ format: "png", channels: 4, hasAlpha: true, width: image.width, height: image.height });
      // A real cut-out: some pixels fully kept, some removed.
      const alpha = (await sharp(output).stats()).channels[3]!;
      expect(alpha.max).toBe(255);
      expect(alpha.min).toBe(0);
    }
  });
});
