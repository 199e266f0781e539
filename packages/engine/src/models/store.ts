import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { ModelUnavailableError } from "../errors.ts";
import { DERIVATIONS } from "./derive.ts";
import { isPackModel, type ModelDefinition, type ModelSource, type RegisteredModel } from "./model.ts";
import { installedPackFile, readPackReceipt } from "./pack-install.ts";

export type ModelAvailability = "ready" | "assemblable" | "missing";

interface ChunkIndex {
  [resourceKey: string]: { chunks: { hash: string; offsets: [number, number] }[]; size: number };
}

/**
 * Turns model definitions into verified ONNX files on local disk.
 * Chunked sources are concatenated once into `cacheDir` (temp file, sha256 check, atomic rename),
 * so concurrent processes never see a half-written model.
 */
export class ModelStore {
  private readonly verified = new Map<string, Promise<string>>();

  constructor(private readonly cacheDir: string) {}

  /** Path of the model's verified ONNX file, assembling it on first use. */
  file(model: RegisteredModel): Promise<string> {
    let pending = this.verified.get(model.id);
    if (!pending) {
      pending = isPackModel(model) ? installedPackFile(this.cacheDir, model) : this.materialise(model);
      pending.catch(() => this.verified.delete(model.id));
      this.verified.set(model.id, pending);
    }
    return pending;
  }

  async availability(model: RegisteredModel): Promise<ModelAvailability> {
    if (isPackModel(model)) return (await readPackReceipt(this.cacheDir, model.id)) ? "ready" : "missing";
    if (model.source.kind === "file") return existsSync(model.source.path) ? "ready" : "missing";
    if (existsSync(this.cachedPath(model))) return "ready";
    if (model.source.kind === "derived") return (await this.availability(model.source.from)) === "missing" ? "missing" : "assemblable";
    return (await chunkDirectory(model.source).catch(() => null)) ? "assemblable" : "missing";
  }

  /** Bytes on disk once installed or assembled; before that, what a download or assembly will take. */
  async sizeBytes(model: RegisteredModel): Promise<number | null> {
    if (isPackModel(model)) return (await readPackReceipt(this.cacheDir, model.id))?.bytes ?? model.source.sizeBytes;
    if (model.source.kind === "file")
      return stat(model.source.path).then(
        (s) => s.size,
        () => null,
      );
    // A derived file's size is known once it is assembled.
    if (model.source.kind === "derived")
      return stat(this.cachedPath(model)).then(
        (s) => s.size,
        () => null,
      );
    return (await chunkDirectory(model.source).catch(() => null))?.resource.size ?? null;
  }

  /** Writes a derived model from its source model's verified file; returns the sha256 written. */
  private async derive(source: Extract<ModelSource, { kind: "derived" }>, destination: string): Promise<string> {
    const bytes = await DERIVATIONS[source.recipe](await readFile(await this.file(source.from)));
    await writeFile(destination, bytes);
    return createHash("sha256").update(bytes).digest("hex");
  }

  private cachedPath(model: ModelDefinition): string {
    return path.join(this.cacheDir, `${model.id}-${model.sha256.slice(0, 12)}.onnx`);
  }

  private async materialise(model: ModelDefinition): Promise<string> {
    if (model.source.kind === "file") {
      await assertChecksum(model, model.source.path);
      return model.source.path;
    }
    const target = this.cachedPath(model);
    if (existsSync(target)) {
      // A damaged cache file (disk fault, killed copy from an older version) is rebuilt, not fatal.
      const intact = await assertChecksum(model, target).then(
        () => true,
        () => false,
      );
      if (intact) return target;
      await rm(target, { force: true });
    }
    await mkdir(this.cacheDir, { recursive: true });
    const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      const source = model.source;
      const digest = source.kind === "derived" ? await this.derive(source, temp) : await concatenateChunks(source, temp);
      if (digest !== model.sha256) {
        const fix =
          source.kind === "derived"
            ? `The recipe or ${source.from.id} changed; pin the new sha256 only after the eval accepts it.`
            : `Reinstall ${source.packageName}.`;
        throw new ModelUnavailableError(`Model ${model.id}: assembled bytes have sha256 ${digest}, expected ${model.sha256}. ${fix}`);
      }
      await rename(temp, target);
      return target;
    } finally {
      await rm(temp, { force: true });
    }
  }
}

async function chunkDirectory(source: Extract<ModelSource, { kind: "npm-chunks" }>) {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    // Resolving finds the package's files without loading any of its code.
    entry = require.resolve(source.packageName);
  } catch {
    throw new ModelUnavailableError(`Package ${source.packageName} is not installed; it carries the model weights.`);
  }
  const dir = path.dirname(entry);
  let index: ChunkIndex;
  try {
    index = JSON.parse(await readFile(path.join(dir, "resources.json"), "utf8")) as ChunkIndex;
  } catch {
    throw new ModelUnavailableError(`${source.packageName} has no readable resources.json; reinstall it.`);
  }
  const resource = index[source.resourceKey];
  if (!resource) throw new ModelUnavailableError(`${source.packageName} has no resource ${source.resourceKey}.`);
  return { dir, resource };
}

async function concatenateChunks(source: Extract<ModelSource, { kind: "npm-chunks" }>, destination: string) {
  const { dir, resource } = await chunkDirectory(source);
  const hash = createHash("sha256");
  const ordered = [...resource.chunks].sort((a, b) => a.offsets[0] - b.offsets[0]);
  async function* chunks() {
    for (const chunk of ordered) {
      const bytes = await readFile(path.join(dir, chunk.hash));
      if (bytes.length !== chunk.offsets[1] - chunk.offsets[0]) {
        throw new ModelUnavailableError(
          `Chunk ${chunk.hash} of ${source.resourceKey} has the wrong size; reinstall ${source.packageName}.`,
        );
      }
      hash.update(bytes);
      yield bytes;
    }
  }
  // pipeline() propagates write errors (a full disk) instead of hanging on 'drain'.
  await pipeline(chunks, createWriteStream(destination));
  return hash.digest("hex");
}

async function assertChecksum(model: ModelDefinition, file: string): Promise<void> {
  try {
    await stat(file);
  } catch {
    throw new ModelUnavailableError(`Model ${model.id}: file ${file} does not exist.`);
  }
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  const digest = hash.digest("hex");
  if (digest !== model.sha256) {
    throw new ModelUnavailableError(`Model ${model.id}: ${file} has sha256 ${digest}, expected ${model.sha256}.`);
  }
}
