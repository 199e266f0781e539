import sharp from "sharp";
import type { DecodedImage } from "../image/decode.ts";
import type { InferenceRunner } from "../inference.ts";
import type { TierPipeline } from "../tiers.ts";
import { refineBand } from "./band-matting.ts";
import { cleanSubject } from "./subject-cleanup.ts";
import { guidedCoefficients, guidedUpsample } from "./guided-filter.ts";
import { mirrorPlaneInPlace, mirrorRgb, toPlanar } from "./planar.ts";
import { resizeBilinear, resizeRgbBilinear } from "./resample.ts";
import { subjectBox, type Box } from "./subject-box.ts";
import { fuseViews } from "./view-fusion.ts";

export interface MatteTimings {
  inferenceMs: number;
  refineMs: number;
}

export interface Matte {
  /** Alpha in 0..1 at the image's full resolution, row-major. */
  alpha: Float32Array;
  width: number;
  height: number;
  timings: MatteTimings;
}

/** The photo as the model sees it: RGB, transparent pixels flattened onto white. */
export function opaqueRgb(image: DecodedImage): Uint8Array {
  const n = image.width * image.height;
  const rgb = new Uint8Array(n * 3);
  const src = image.rgba;
  for (let i = 0, j = 0; i < n * 3; i += 3, j += 4) {
    const a = src[j + 3]!;
    if (a === 255) {
      // Opaque (every pixel of a photo without alpha): the colour as it is, without the blend's float arithmetic.
      rgb[i] = src[j]!;
      rgb[i + 1] = src[j + 1]!;
      rgb[i + 2] = src[j + 2]!;
      continue;
    }
    const keep = a / 255;
    const fill = 255 - a;
    rgb[i] = src[j]! * keep + fill;
    rgb[i + 1] = src[j + 1]! * keep + fill;
    rgb[i + 2] = src[j + 2]! * keep + fill;
  }
  return rgb;
}

/** Runs a tier's matting pipeline: inference (with its augmentations), then refinement to full resolution. */
export async function predictMatte(image: DecodedImage, rgb: Uint8Array, tier: TierPipeline, runner: InferenceRunner): Promise<Matte> {
  const { width, height } = image;
  const size = runner.model(tier.model).inputSize;
  const started = performance.now();

  const global = await inferRegion(rgb, width, height, { x: 0, y: 0, width, height }, size, tier, runner);

  // Working resolution: the model's resolution over the image (or over the subject, when a second
  // pass sees it closer), never above the photo's own.
  let box: Box | null = null;
  // Even a box covering most of the frame is a second, differently framed view worth fusing; only
  // a box equal to the whole image would repeat the first pass.
  if (tier.subjectPass) box = subjectBox(global, size, size, width, height);
  if (box && box.width === width && box.height === height) box = null;
  const span = box ? Math.max(box.width, box.height) : Math.max(width, height);
  const scale = Math.min(1, size / span);
  const workW = Math.max(1, Math.round(width * scale));
  const workH = Math.max(1, Math.round(height * scale));
  const work = resizeBilinear(global, size, size, workW, workH);

  if (box) {
    const close = await inferRegion(rgb, width, height, box, size, tier, runner);
    fuseSubjectPass(work, workW, workH, close, size, box, scale);
  }
  const inferenceMs = performance.now() - started;

  const refineStart = performance.now();
  let alpha: Float32Array;
  if (tier.refine.kind === "bilinear") {
    alpha = resizeBilinear(work, workW, workH, width, height);
  } else {
    // Float planes only at the working resolution; the full-resolution guide stays 8-bit.
    const guideLow = workW === width && workH === height ? rgb : await resizeRgb(rgb, width, height, workW, workH);
    const coefficients = guidedCoefficients(toPlanar(guideLow, workW, workH, 3), work, tier.refine.radius, tier.refine.eps);
    alpha = guidedUpsample(coefficients, rgb, width, height);
  }
  if (tier.clamp) clampConfidence(alpha, tier.clamp.low, tier.clamp.high);
  for (const pass of tier.bandMatting) alpha = (await refineBand(rgb, width, height, alpha, pass)).alpha;
  if (tier.cleanup) alpha = cleanSubject(alpha, width, height, tier.cleanup);
  return { alpha, width, height, timings: { inferenceMs, refineMs: performance.now() - refineStart } };
}

/** Foreground probability of a region of the photo, at the model's square input resolution. */
async function inferRegion(
  rgb: Uint8Array,
  width: number,
  height: number,
  box: Box,
  size: number,
  tier: TierPipeline,
  runner: InferenceRunner,
) {
  let input: Uint8Array;
  if (tier.modelInput === "bilinear") input = resizeRgbBilinear(rgb, width, box, size, size);
  else {
    let pipeline = sharp(rgb, { raw: { width, height, channels: 3 } });
    if (box.width !== width || box.height !== height)
      pipeline = pipeline.extract({ left: box.x, top: box.y, width: box.width, height: box.height });
    input = await pipeline.resize(size, size, { fit: "fill" }).raw().toBuffer();
  }
  const prediction = await runner.predict(tier.model, input);
  if (!tier.flip) return prediction;
  const mirrored = mirrorPlaneInPlace(await runner.predict(tier.model, mirrorRgb(input, size, size)), size, size);
  return fuseViews(prediction, mirrored, tier.flip);
}

/**
 * Blends the close-up prediction into the working matte over the subject's box, in proportion to
 * the first pass's uncertainty (1 at alpha 0.5, 0 at 0 or 1): the close-up sharpens edges but cannot
 * erase what the whole-image view was sure of (e.g. a body the close-up crop cut through).
 */
function fuseSubjectPass(work: Float32Array, workW: number, workH: number, close: Float32Array, size: number, box: Box, scale: number) {
  const x0 = Math.round(box.x * scale),
    y0 = Math.round(box.y * scale);
  const bw = Math.min(workW - x0, Math.max(1, Math.round(box.width * scale)));
  const bh = Math.min(workH - y0, Math.max(1, Math.round(box.height * scale)));
  const patch = resizeBilinear(close, size, size, bw, bh);
  for (let y = 0; y < bh; y++) {
    const row = (y0 + y) * workW + x0;
    for (let x = 0; x < bw; x++) {
      const first = work[row + x]!;
      const uncertainty = 1 - Math.abs(2 * first - 1);
      work[row + x] = first + uncertainty * (patch[y * bw + x]! - first);
    }
  }
}

/** Linear stretch of [low, high] to [0, 1], in place. */
export function clampConfidence(alpha: Float32Array, low: number, high: number): Float32Array {
  const scale = 1 / (high - low);
  for (let i = 0; i < alpha.length; i++) {
    const v = (alpha[i]! - low) * scale;
    alpha[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return alpha;
}

async function resizeRgb(rgb: Uint8Array, width: number, height: number, toW: number, toH: number): Promise<Uint8Array> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(toW, toH, { fit: "fill" })
    .raw()
    .toBuffer();
}
