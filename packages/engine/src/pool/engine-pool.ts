import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { createEngine, type EngineConfig, type RemovalResult, type RemoveOptions } from "../engine.ts";
import { DEFAULT_DECODE_LIMITS, probeImage, type ImageProbe } from "../image/decode.ts";
import { TIER_NAMES, type TierName } from "../tiers.ts";
import { deserializeError, type EngineRequest, type EngineWorkerData, type RemoveReply, type WorkerReady } from "./protocol.ts";

/** Every worker is busy and the waiting line is full: the caller should answer "try again later". */
export class EngineBusyError extends Error {
  override readonly name = "EngineBusyError";
}

export interface EnginePoolOptions {
  engine: EngineConfig;
  /** Removals that run at once; each runs in its own worker thread. */
  workers: number;
  /** Removals that may wait for a worker; one more is refused with EngineBusyError. */
  maxQueue: number;
  /**
   * Whether each worker loads every tier's model and runs one inference before `start` resolves
   * (default true), so a server or worker that reports ready serves its first request warm.
   */
  warmUp?: boolean;
}

/** A request before the pool numbers it (Omit applied to each member of the union). */
type WithoutId<R> = R extends unknown ? Omit<R, "id"> : never;
type UnnumberedRequest = WithoutId<EngineRequest>;

interface Task {
  request: EngineRequest;
  resolve: (result: RemovalResult) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  /** Models whose session the worker had loaded when it reported ready. */
  warmModels: string[];
}

// Compiled, the worker is the JavaScript next to this file. From source (vitest, tsx) a thread gets
// neither tsx's loader nor the source condition from its parent: the boot file registers the loader,
// and the flag makes workspace packages resolve to their sources as they do here.
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const WORKER_FILE = new URL(FROM_SOURCE ? "./engine-worker.boot.mjs" : "./engine-worker.js", import.meta.url);
const WORKER_EXEC_ARGV = FROM_SOURCE ? [...process.execArgv, "--conditions=@bgr/source"] : undefined;

/**
 * Runs removals in worker threads so that decoding, matte refinement and encoding never block the
 * event loop of the process that serves requests. Bounded: `workers` at once, `maxQueue` waiting.
 */
export class EnginePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly options: EnginePoolOptions,
    /** The model each tier uses in every worker, chosen once at start. */
    readonly tierModels: Readonly<Record<TierName, string>>,
  ) {}

  static async start(options: EnginePoolOptions): Promise<EnginePool> {
    // Tiers are resolved once here and pinned, so every worker uses what tierModels reports.
    const planner = await createEngine(options.engine);
    const tierModels = Object.fromEntries(TIER_NAMES.map((tier) => [tier, planner.tier(tier).model])) as Record<TierName, string>;
    const pinned = Object.fromEntries(TIER_NAMES.map((tier) => [tier, [tierModels[tier]]]));
    const pool = new EnginePool(options, tierModels);
    // Split the cores between the workers so concurrent inferences do not oversubscribe the CPU.
    const threads = options.engine.intraOpThreads ?? Math.max(1, Math.floor(os.availableParallelism() / options.workers));
    await Promise.all(
      Array.from({ length: options.workers }, () => pool.spawn({ ...options.engine, tierModels: pinned, intraOpThreads: threads })),
    );
    return pool;
  }

  /** Per worker, the models it had loaded and run once when it reported ready. */
  get warmModels(): string[][] {
    return this.slots.map((s) => s.warmModels);
  }

  /** Removals running or waiting right now. */
  get load(): number {
    return this.queue.length + this.slots.filter((s) => s.task).length;
  }

  remove(bytes: Uint8Array, options: RemoveOptions): Promise<RemovalResult> {
    return this.submit({ kind: "remove", bytes, options });
  }

  /** RemovalEngine.removeWithMatte in a worker thread, with the same capacity as `remove`. */
  removeWithMatte(bytes: Uint8Array, matteImage: Uint8Array, options: RemoveOptions, provider = "external"): Promise<RemovalResult> {
    return this.submit({ kind: "removeWithMatte", bytes, matte: matteImage, options, provider });
  }

  /** RemovalEngine.recompose in a worker thread, with the same capacity as `remove`. */
  recompose(bytes: Uint8Array, resultMatte: Uint8Array, options: RemoveOptions): Promise<RemovalResult> {
    return this.submit({ kind: "recompose", bytes, matte: resultMatte, options });
  }

  /** Reads only the header, on this thread (sharp does it off the event loop): no worker is taken. */
  probe(bytes: Uint8Array): Promise<ImageProbe> {
    return probeImage(bytes, { ...DEFAULT_DECODE_LIMITS, ...this.options.engine.limits });
  }

  private submit(request: UnnumberedRequest): Promise<RemovalResult> {
    if (this.closed) return Promise.reject(new Error("The engine pool is closed."));
    const idle = this.slots.find((s) => !s.task);
    if (!idle && this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new EngineBusyError("Every removal worker is busy and the queue is full. Try again in a few seconds."));
    }
    return new Promise((resolve, reject) => {
      const task: Task = { request: { ...request, id: this.nextId++ }, resolve, reject };
      if (idle) this.run(idle, task);
      else this.queue.push(task);
    });
  }

  /**
   * Refuses what waits, lets removals already running end (up to a minute), then stops the threads:
   * terminating a thread inside ONNX Runtime's native run aborts the whole process.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new Error("The engine pool is closing."));
    const deadline = Date.now() + 60_000;
    while (this.slots.some((s) => s.task !== null) && Date.now() < deadline) await sleep(50);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(config: EngineConfig): Promise<void> {
    return new Promise((resolve, reject) => {
      const workerData: EngineWorkerData = { engine: config, warmUp: this.options.warmUp ?? true };
      const worker = new Worker(WORKER_FILE, { workerData, execArgv: WORKER_EXEC_ARGV });
      const slot: Slot = { worker, task: null, warmModels: [] };
      let started = false;
      worker.once("message", (first: WorkerReady) => {
        if (first?.kind !== "ready") return reject(new Error("Engine worker did not start."));
        slot.warmModels = first.warmModels;
        started = true;
        this.slots.push(slot);
        worker.on("message", (reply: RemoveReply) => this.finish(slot, reply));
        resolve();
      });
      worker.on("error", (error) => {
        slot.task?.reject(error);
        slot.task = null;
        reject(error);
      });
      worker.on("exit", () => {
        const index = this.slots.indexOf(slot);
        if (index >= 0) this.slots.splice(index, 1);
        // A worker that crashed after starting is replaced, so capacity does not silently shrink.
        if (started && !this.closed)
          this.spawn(config).then(
            () => this.drain(),
            () => undefined,
          );
      });
    });
  }

  private run(slot: Slot, task: Task) {
    slot.task = task;
    const { request } = task;
    // Copy into transferable buffers the caller does not own, so the bytes move instead of being cloned.
    const bytes = new Uint8Array(request.bytes);
    if (request.kind !== "remove") {
      const matte = new Uint8Array(request.matte);
      slot.worker.postMessage({ ...request, bytes, matte } satisfies EngineRequest, [bytes.buffer, matte.buffer]);
    } else {
      slot.worker.postMessage({ ...request, bytes } satisfies EngineRequest, [bytes.buffer]);
    }
  }

  private finish(slot: Slot, reply: RemoveReply) {
    const task = slot.task;
    slot.task = null;
    if (task && task.request.id === reply.id) {
      if (reply.ok)
        task.resolve({
          ...reply.result,
          data: Buffer.from(reply.result.data.buffer, reply.result.data.byteOffset, reply.result.data.byteLength),
        });
      else task.reject(deserializeError(reply.error));
    }
    this.drain();
  }

  private drain() {
    for (const slot of this.slots) {
      if (slot.task) continue;
      const next = this.queue.shift();
      if (!next) return;
      this.run(slot, next);
    }
  }
}
