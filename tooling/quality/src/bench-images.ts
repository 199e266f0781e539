import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { DEFAULT_DATA_DIR } from "./dataset.ts";

export const BENCH_SIZES = { "1MP": [1152, 864], "4MP": [2304, 1728], "12MP": [4000, 3000] } as const;
export type BenchSize = keyof typeof BENCH_SIZES;

/** A real photo when the eval data is present (resampled to each size), else a synthetic scene. */
const SOURCE_PHOTO = path.join(DEFAULT_DATA_DIR, "coco-145781-dog.jpg");

/** Writes one JPEG per benchmark size into `dir` and returns their paths. */
export async function makeBenchImages(dir: string): Promise<Record<BenchSize, string>> {
  await mkdir(dir, { recursive: true });
  const out = {} as Record<BenchSize, string>;
  for (const [size, [width, height]] of Object.entries(BENCH_SIZES) as [BenchSize, readonly [number, number]][]) {
    const file = path.join(dir, `bench-${size}.jpg`);
    const base = existsSync(SOURCE_PHOTO) ? sharp(SOURCE_PHOTO) : sharp(await syntheticScene());
    await base.resize(width, height, { fit: "fill", kernel: "lanczos3" }).jpeg({ quality: 90 }).toFile(file);
    out[size] = file;
  }
  return out;
}

async function syntheticScene(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#8fb4d9"/><stop offset="1" stop-color="#e8d7b0"/></linearGradient></defs>
    <rect width="1200" height="900" fill="url(#g)"/>
    <ellipse cx="600" cy="520" rx="260" ry="300" fill="#7a4a2a"/><circle cx="600" cy="260" r="150" fill="#c98d5a"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}

/** Three different dev photos (people, animal, plant) resampled to 4 MP, for the whole-process benchmark. */
const PROCESS_PHOTOS = ["coco-145781-dog.jpg", "gc-person6.jpg", "coco-69795-pottedplant.jpg"];

export async function makeProcessImages(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const [width, height] = BENCH_SIZES["4MP"];
  return Promise.all(
    PROCESS_PHOTOS.map(async (name, i) => {
      const file = path.join(dir, `process-${i}.jpg`);
      const source = path.join(DEFAULT_DATA_DIR, name);
      const base = existsSync(source) ? sharp(source) : sharp(await syntheticScene());
      await base.resize(width, height, { fit: "fill", kernel: "lanczos3" }).jpeg({ quality: 90 }).toFile(file);
      return file;
    }),
  );
}
