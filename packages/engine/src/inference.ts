import { createHash } from "node:crypto";
import ort from "onnxruntime-node";
import { isPackModel, type RegisteredModel } from "./models/model.ts";
import { toProbabilities } from "./models/output.ts";
import type { ModelStore } from "./models/store.ts";

export interface InferenceOptions {
  /** Threads one inference may use; defaults to ONNX Runtime's choice (all cores). */
  intraOpThreads?: number;
  /**
   * Where predictions may be kept and looked up, keyed by model and input. Only tuning runs (the
   * eval's `--inference-cache`) set one, so post-processing can be re-scored without re-running models.
   */
  predictionCache?: PredictionCache;
}

export interface PredictionCache {
  get(key: string): Promise<Float32Array | null>;
  set(key: string, prediction: Float32Array): Promise<void>;
}

/**
 * Runs segmentation models. One InferenceSession per model per runner, created on first use (or by
 * a warm-up at start) and reused by every request: loading a model and its first run take seconds.
 */
export class InferenceRunner {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();
  private readonly models: Map<string, RegisteredModel>;

  constructor(
    models: readonly RegisteredModel[],
    private readonly store: ModelStore,
    private readonly options: InferenceOptions = {},
  ) {
    this.models = new Map(models.map((m) => [m.id, m]));
  }

  model(id: string): RegisteredModel {
    const model = this.models.get(id);
    if (!model) throw new Error(`Unknown model "${id}". Known: ${[...this.models.keys()].join(", ")}.`);
    return model;
  }

  list(): RegisteredModel[] {
    return [...this.models.values()];
  }

  /** The verified ONNX file of a model (assembled on first use), e.g. for a benchmark to time elsewhere. */
  modelFile(id: string): Promise<string> {
    return this.store.file(this.model(id));
  }

  /** Models whose session exists (or is being created), for health reports and the warm-up test. */
  loadedModels(): string[] {
    return [...this.sessions.keys()];
  }

  /**
   * Predicts the foreground probability of a square RGB image of the model's input size
   * (interleaved 8-bit RGB, inputSize^2 pixels). Returns inputSize^2 values in 0..1.
   */
  async predict(modelId: string, rgb: Uint8Array): Promise<Float32Array> {
    const model = this.model(modelId);
    const size = model.inputSize;
    const plane = size * size;
    if (rgb.length !== plane * 3) throw new Error(`Model ${modelId} expects ${size}x${size} RGB input.`);
    const cache = this.options.predictionCache;
    // Keyed by the file's digest too, so a re-derived model (a new int8 recipe) never reads the old file's predictions.
    const fileDigest = isPackModel(model) ? model.source.checksum.hex : model.sha256;
    const key = cache ? `${model.id}-${fileDigest.slice(0, 12)}-${createHash("sha1").update(rgb).digest("hex")}` : "";
    const cached = cache ? await cache.get(key) : null;
    if (cached) return cached;
    const input = new Float32Array(plane * 3);
    for (let c = 0; c < 3; c++) {
      const scale = 1 / (255 * model.std[c]!);
      const offset = model.mean[c]! / model.std[c]!;
      const base = c * plane;
      for (let i = 0; i < plane; i++) input[base + i] = rgb[i * 3 + c]! * scale - offset;
    }
    const session = await this.session(model);
    const inputName = model.inputName ?? session.inputNames[0]!;
    const outputName = model.outputName ?? session.outputNames[0]!;
    const result = await session.run({ [inputName]: new ort.Tensor("float32", input, [1, 3, size, size]) }, [outputName]);
    const prediction = toProbabilities(result[outputName]!, model, plane);
    await cache?.set(key, prediction);
    return prediction;
  }

  private session(model: RegisteredModel): Promise<ort.InferenceSession> {
    let session = this.sessions.get(model.id);
    if (!session) {
      session = this.store.file(model).then((file) =>
        ort.InferenceSession.create(file, {
          graphOptimizationLevel: "all",
          executionProviders: ["cpu"],
          // ISNet is one path of convolutions: parallel branch scheduling only adds overhead
          // (measured 2-3x slower), so one inter-op thread and the cores given to intra-op work.
          executionMode: "sequential",
          interOpNumThreads: 1,
          // The arena keeps every run's peak (grown in powers of two) for the life of the process, and
          // the memory pattern pre-plans one block for all activations: off, one 1024² fp16 session
          // peaked at 1.1-1.2 GB instead of 2.1-2.2 GB on ORT 1.30, with the same outputs. A model
          // whose peak is small keeps the arena (RegisteredModel.memoryArena).
          enableCpuMemArena: model.memoryArena ?? false,
          enableMemPattern: false,
          ...(this.options.intraOpThreads ? { intraOpNumThreads: this.options.intraOpThreads } : {}),
        }),
      );
      session.catch(() => this.sessions.delete(model.id));
      this.sessions.set(model.id, session);
    }
    return session;
  }
}
