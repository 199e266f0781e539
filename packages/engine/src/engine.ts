import { composeCutout, alphaBytes, cropBox, type SourceAlphaRule } from "./compose.ts";
import { validateLayout, type LayoutOptions } from "./compose/layout-options.ts";
import type { LayoutOutputFormat } from "./compose/layout-output.ts";
import { renderLayout } from "./compose/render-layout.ts";
import { InvalidOptionsError } from "./errors.ts";
import { DEFAULT_DECODE_LIMITS, decodeImage, probeImage, type DecodeLimits, type DecodedImage, type ImageProbe } from "./image/decode.ts";
import { encodePixels, OUTPUT_FORMATS, OUTPUT_MIME, parseHexColour, type OutputFormat } from "./image/encode.ts";
import { InferenceRunner, type PredictionCache } from "./inference.ts";
import { readExternalMatte } from "./matte/external-matte.ts";
import { opaqueRgb, predictMatte, type Matte } from "./matte/predict-matte.ts";
import { BUILTIN_MODELS } from "./models/builtin.ts";
import { loadModelManifest } from "./models/manifest.ts";
import type { Box } from "./matte/subject-box.ts";
import type { RegisteredModel } from "./models/model.ts";
import { MODEL_PACKS } from "./models/packs.ts";
import { ModelStore, type ModelAvailability } from "./models/store.ts";
import { isTierName, resolveTier, TIER_NAMES, TIERS, type TierDefinition, type TierName, type TierPipeline } from "./tiers.ts";

export interface EngineConfig {
  /** Where assembled model files are kept (created if missing). */
  cacheDir: string;
  /** Directories holding operator-supplied models and their `models.json` manifest. */
  modelDirs?: string[];
  /** Threads one inference may use. */
  intraOpThreads?: number;
  /** Tuning runs only: keeps predictions across runs (see InferenceOptions.predictionCache). */
  predictionCache?: PredictionCache;
  limits?: Partial<DecodeLimits>;
  /** Replaces built-in tier definitions. */
  tiers?: Partial<Record<TierName, TierDefinition>>;
  /** Replaces the models a tier may use (best first), e.g. `{ industry: ["birefnet-portrait", "isnet-fp16"] }`. */
  tierModels?: Partial<Record<TierName, readonly string[]>>;
}

export interface RemoveOptions {
  tier: TierName;
  /** Output encoding; `jpg` needs an opaque background. Default `png`. */
  format?: OutputFormat;
  /** `transparent` (default) or a hex colour such as `#ffffff`. */
  background?: string;
  /** `cutout` (default): the subject; `mask`: the alpha matte as a greyscale image. */
  result?: "cutout" | "mask";
  /** Crop to the subject's bounding box, with this margin in pixels. */
  crop?: { marginPx: number } | false;
  /** The full composition (roi, crop, scale, position, shadow, background image, size, zip); replaces format/background/result/crop. */
  layout?: LayoutOptions;
}

export interface RemovalTimings {
  decodeMs: number;
  inferenceMs: number;
  refineMs: number;
  composeMs: number;
  encodeMs: number;
  totalMs: number;
}

export interface RemovalResult {
  data: Buffer;
  /** `zip` only from a layout. */
  format: OutputFormat | LayoutOutputFormat;
  mime: string;
  width: number;
  height: number;
  /** Size of the source image (after EXIF rotation). */
  sourceWidth: number;
  sourceHeight: number;
  /** The subject's box in the result (set with a layout; null when nothing is visible). */
  foreground?: Box | null;
  timings: RemovalTimings;
  /**
   * Who made the matte: `local:<model id>` (e.g. `local:isnet-fp16`) for the engine's own model, or
   * the remote service's name (e.g. `huggingface:briaai/RMBG-1.4`) for a matte made elsewhere.
   */
  provider?: string;
}

export interface ModelInfo {
  definition: RegisteredModel;
  availability: ModelAvailability;
  sizeBytes: number | null;
}

/** Background removal: image bytes and typed options in, encoded image out. Knows nothing of HTTP or storage. */
export class RemovalEngine {
  private readonly limits: DecodeLimits;
  private readonly tiers: Record<TierName, TierPipeline>;
  private readonly choices: Record<TierName, readonly string[]>;

  constructor(
    /** The model runner, exposed so benchmarks can time raw inference beside the whole pipeline. */
    readonly runner: InferenceRunner,
    private readonly store: ModelStore,
    config: Pick<EngineConfig, "limits"> & {
      /** Each tier with the model it uses, as resolved at start (see createEngine). */
      tiers: Record<TierName, TierPipeline>;
      /** The models each tier may use, best first. */
      choices: Record<TierName, readonly string[]>;
    },
  ) {
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...config.limits };
    this.tiers = config.tiers;
    this.choices = config.choices;
    for (const tier of Object.values(this.tiers)) runner.model(tier.model);
  }

  tier(name: TierName): TierPipeline {
    return this.tiers[name];
  }

  /** The models a tier may use, best first; `tier(name).model` is the one chosen at start. */
  tierChoices(name: TierName): readonly string[] {
    return this.choices[name];
  }

  async models(): Promise<ModelInfo[]> {
    return Promise.all(
      this.runner.list().map(async (definition) => ({
        definition,
        availability: await this.store.availability(definition),
        sizeBytes: await this.store.sizeBytes(definition),
      })),
    );
  }

  /**
   * Loads the sessions the given tiers need (default: every tier) and runs one inference on each, so
   * the first request pays neither the model load nor ONNX Runtime's first-run allocations.
   */
  async warmUp(tiers: readonly TierName[] = TIER_NAMES): Promise<void> {
    const models = new Set(tiers.map((tier) => this.tiers[tier].model));
    for (const id of models) {
      const model = this.runner.model(id);
      await this.runner.predict(model.id, new Uint8Array(model.inputSize * model.inputSize * 3));
    }
  }

  decode(bytes: Uint8Array): Promise<DecodedImage> {
    return decodeImage(bytes, this.limits);
  }

  /** The tier's alpha matte at the image's resolution, before any composition (used by the eval). */
  matte(image: DecodedImage, tier: TierName): Promise<Matte> {
    return predictMatte(image, opaqueRgb(image), this.tiers[tier], this.runner);
  }

  async remove(bytes: Uint8Array, options: RemoveOptions): Promise<RemovalResult> {
    const started = performance.now();
    const resolved = validateRemoveOptions(options);
    const tier = this.tiers[options.tier];

    const image = await this.decode(bytes);
    const decodeMs = performance.now() - started;
    const rgb = opaqueRgb(image);
    const matte = await predictMatte(image, rgb, tier, this.runner);
    return this.composeAndEncode({
      image,
      rgb,
      matte,
      sourceAlpha: "multiply",
      options,
      resolved,
      started,
      decodeMs,
      provider: `local:${tier.model}`,
    });
  }

  /**
   * Like `remove`, but with a matte made elsewhere (a remote model's cut-out or mask, any size; see
   * readExternalMatte) instead of the tier's model. Composition, the tier's decontamination, crop and
   * encoding are the same as `remove`'s. `provider` names who made the matte, for the result.
   * A matte that cannot be read fails with InvalidMatteError; a bad photo still with InvalidImageError.
   */
  async removeWithMatte(bytes: Uint8Array, matteImage: Uint8Array, options: RemoveOptions, provider = "external"): Promise<RemovalResult> {
    return this.withMatte(bytes, matteImage, options, provider, "multiply");
  }

  /**
   * A finished result composed again with new options (the result editor): `resultMatte` is the
   * result's own cut-out or an edit of it, the photo's size. Its alpha already carries any
   * transparency the photo had, so it is capped by that rather than multiplied by it a second time:
   * a restore brush brings the photo back as it was, never more opaque. Otherwise as removeWithMatte.
   */
  async recompose(bytes: Uint8Array, resultMatte: Uint8Array, options: RemoveOptions): Promise<RemovalResult> {
    return this.withMatte(bytes, resultMatte, options, "editor", "cap");
  }

  private async withMatte(
    bytes: Uint8Array,
    matteImage: Uint8Array,
    options: RemoveOptions,
    provider: string,
    sourceAlpha: SourceAlphaRule,
  ): Promise<RemovalResult> {
    const started = performance.now();
    const resolved = validateRemoveOptions(options);

    const image = await this.decode(bytes);
    const decodeMs = performance.now() - started;
    const matte = await readExternalMatte(matteImage, image.width, image.height, this.limits.maxPixels);
    return this.composeAndEncode({ image, rgb: opaqueRgb(image), matte, sourceAlpha, options, resolved, started, decodeMs, provider });
  }

  /** What the header says, checked against this engine's limits (see probeImage). */
  probe(bytes: Uint8Array): Promise<ImageProbe> {
    return probeImage(bytes, this.limits);
  }

  /** The tail every removal shares: final alpha, cut-out or mask, crop, encoding. */
  private async composeAndEncode(input: {
    image: DecodedImage;
    rgb: Uint8Array;
    matte: Matte;
    sourceAlpha: SourceAlphaRule;
    options: RemoveOptions;
    resolved: ReturnType<typeof validateRemoveOptions>;
    started: number;
    decodeMs: number;
    provider: string;
  }): Promise<RemovalResult> {
    const { image, rgb, matte, sourceAlpha, options, started, decodeMs, provider } = input;
    const { format, result, background } = input.resolved;
    const tier = this.tiers[options.tier];

    const composeStart = performance.now();
    const { width, height } = image;
    const alpha = alphaBytes(matte.alpha, image.rgba, image.hasAlpha, sourceAlpha);
    const sourceRgba = image.hasAlpha ? image.rgba : null;
    if (input.resolved.layout) {
      // One step that composes and encodes, so its time is reported as composition.
      const rendered = await renderLayout({
        rgb,
        alpha,
        width,
        height,
        decontaminate: tier.decontaminate,
        sourceRgba,
        layout: input.resolved.layout,
      });
      const totalMs = performance.now() - started;
      const { data, format: layoutFormat, mime, foreground } = rendered;
      return {
        data,
        format: layoutFormat,
        mime,
        width: rendered.width,
        height: rendered.height,
        sourceWidth: width,
        sourceHeight: height,
        foreground,
        timings: { decodeMs, ...matte.timings, composeMs: performance.now() - composeStart, encodeMs: 0, totalMs },
        provider,
      };
    }
    const composition =
      result === "mask"
        ? { pixels: alpha, channels: 1 as const, width, height }
        : composeCutout(rgb, alpha, width, height, tier.decontaminate, background, sourceRgba);
    const region = options.crop ? cropBox(alpha, width, height, options.crop.marginPx) : null;
    const composeMs = performance.now() - composeStart;

    const encodeStart = performance.now();
    const data = await encodePixels(composition.pixels, width, height, composition.channels, format, region);
    const encodeMs = performance.now() - encodeStart;
    return {
      data,
      format,
      mime: OUTPUT_MIME[format],
      width: region?.width ?? width,
      height: region?.height ?? height,
      sourceWidth: width,
      sourceHeight: height,
      timings: { decodeMs, ...matte.timings, composeMs, encodeMs, totalMs: performance.now() - started },
      provider,
    };
  }
}

/**
 * Checks options before any work (so a service can refuse them before charging) and resolves defaults.
 * Throws InvalidOptionsError with a message that says what to send instead.
 */
export function validateRemoveOptions(options: RemoveOptions) {
  if (!isTierName(options.tier)) throw new InvalidOptionsError(`Unknown tier "${options.tier}". Use ${TIER_NAMES.join(", ")}.`);
  if (options.layout && (options.format || options.background || options.result || options.crop)) {
    throw new InvalidOptionsError("Give the output either as a layout or as format/background/result/crop, not both.");
  }
  const layout = options.layout ? validateLayout(options.layout) : null;
  const format = options.format ?? "png";
  if (!OUTPUT_FORMATS.includes(format)) throw new InvalidOptionsError(`Unknown format "${format}". Use ${OUTPUT_FORMATS.join(", ")}.`);
  const result = options.result ?? "cutout";
  if (result !== "cutout" && result !== "mask") throw new InvalidOptionsError(`Unknown result "${result}". Use cutout or mask.`);
  const background = !options.background || options.background === "transparent" ? null : parseHexColour(options.background);
  if (format === "jpg" && result === "cutout" && !background) {
    throw new InvalidOptionsError("JPEG has no transparency: choose png or webp, or give a background colour such as #ffffff.");
  }
  if (options.crop && !(Number.isInteger(options.crop.marginPx) && options.crop.marginPx >= 0)) {
    throw new InvalidOptionsError(`Crop margin must be a whole number of pixels, 0 or more (got ${options.crop.marginPx}).`);
  }
  return { format, result, background, layout };
}

/**
 * Builds an engine from built-in models, model packs and any operator-supplied ones, and gives each
 * tier the first of its models that is installed. Nothing is loaded until first use.
 */
export async function createEngine(config: EngineConfig): Promise<RemovalEngine> {
  const extra = (await Promise.all((config.modelDirs ?? []).map(loadModelManifest))).flat();
  const models: RegisteredModel[] = [...BUILTIN_MODELS, ...MODEL_PACKS, ...extra];
  const ids = new Set<string>();
  for (const model of models) {
    if (ids.has(model.id)) throw new Error(`Model id "${model.id}" is defined twice; model ids must be unique.`);
    ids.add(model.id);
  }
  const store = new ModelStore(config.cacheDir);
  const runner = new InferenceRunner(models, store, { intraOpThreads: config.intraOpThreads, predictionCache: config.predictionCache });
  const installed = new Set<string>();
  for (const model of models) if ((await store.availability(model)) !== "missing") installed.add(model.id);
  const tiers = {} as Record<TierName, TierPipeline>;
  const choices = {} as Record<TierName, readonly string[]>;
  for (const name of TIER_NAMES) {
    const definition = { ...TIERS[name], ...config.tiers?.[name] };
    const models = config.tierModels?.[name] ?? definition.models;
    // A tier naming an unknown model fails at start-up, not on its first request.
    for (const id of models) runner.model(id);
    tiers[name] = resolveTier({ ...definition, models }, (id) => installed.has(id));
    choices[name] = models;
  }
  return new RemovalEngine(runner, store, { limits: config.limits, tiers, choices });
}
