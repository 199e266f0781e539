import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { evalData } from "@bgr/testing";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const DEFAULT_DATA_DIR = evalData("dev");

const PHOTO_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp"];

export interface EvalSample {
  id: string;
  photo: string;
  alpha: string;
  /** Unlabeled pixels (white) that must not be scored, when the set has them. */
  ignore: string | null;
}

/** Pairs `<id>.<ext>` with `<id>.alpha.png` (and optional `<id>.ignore.png`) in a folder. */
export function findSamples(dir: string): EvalSample[] {
  const files = new Set(readdirSync(dir));
  const samples: EvalSample[] = [];
  for (const file of [...files].sort()) {
    const ext = path.extname(file).toLowerCase();
    const id = file.slice(0, -ext.length);
    if (!PHOTO_EXTENSIONS.includes(ext) || id.endsWith(".alpha") || id.endsWith(".ignore")) continue;
    if (!files.has(`${id}.alpha.png`)) continue;
    const ignore = path.join(dir, `${id}.ignore.png`);
    samples.push({ id, photo: path.join(dir, file), alpha: path.join(dir, `${id}.alpha.png`), ignore: existsSync(ignore) ? ignore : null });
  }
  return samples;
}

/** Ground truth alpha in 0..1 and the ignore mask (1 = not scored), both upright as stored. */
export async function loadGroundTruth(sample: EvalSample) {
  const { data, info } = await sharp(sample.alpha).greyscale().raw().toBuffer({ resolveWithObject: true });
  const truth = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) truth[i] = data[i]! / 255;
  let ignore: Uint8Array | null = null;
  if (sample.ignore) {
    const mask = await sharp(sample.ignore).greyscale().raw().toBuffer();
    ignore = new Uint8Array(mask.length);
    for (let i = 0; i < mask.length; i++) ignore[i] = mask[i]! > 127 ? 1 : 0;
  }
  return { truth, ignore, width: info.width, height: info.height };
}
