import type { Database, RemovalJob } from "@bgr/db";
import { busy, DomainError, parseTier } from "@bgr/domain";
import {
  encodeMatteImage,
  EngineBusyError,
  InvalidMatteError,
  probeImage,
  type LayoutOptions,
  type RemovalResult,
  type RemoveOptions,
} from "@bgr/engine";
import { findOwnJob } from "../jobs/jobs.service.ts";
import { asDomainErrors } from "../removal/engine-errors.ts";
import { expiredFileError } from "../retention/retention.service.ts";
import { readObject, storageKeys, type Storage } from "../storage/storage.ts";
import { resultVersionsRepository as versions } from "./result-versions.repository.ts";

/** The engine's compositing of a finished result with its (edited) matte (the engine pool's recompose). */
export interface MatteComposer {
  recompose(bytes: Uint8Array, resultMatte: Uint8Array, options: RemoveOptions): Promise<RemovalResult>;
}

export interface ResultEditorDeps {
  db: Database;
  storage: Storage;
  composer: MatteComposer;
  now: () => Date;
}

/** One matte of a result: 1 is the removal's own, 2 on are saved edits. */
export interface MatteVersionView {
  version: number;
  edited: boolean;
  createdAt: string;
}

/** The options a result may be edited from: a full-size cut-out or mask, so its alpha lines up with the original. */
const PLAIN_LAYOUT_KEYS = new Set(["format", "semitransparency", "requireForeground", "channels"]);

/**
 * The result editor: the mattes of a finished removal (the original kept, edits saved as new versions)
 * and its composition on the server, through the engine's own compositing, from the stored original
 * and the latest matte. Composing charges nothing: the removal was paid for.
 */
export class ResultEditorService {
  constructor(private readonly deps: ResultEditorDeps) {}

  async versions(userId: string, jobId: string): Promise<MatteVersionView[]> {
    const job = await this.editableJob(userId, jobId);
    const edits = await versions.list(this.deps.db, job.id);
    return [
      { version: 1, edited: false, createdAt: (job.completedAt ?? job.createdAt).toISOString() },
      ...edits.map((row) => ({ version: row.version, edited: true, createdAt: row.createdAt.toISOString() })),
    ];
  }

  /** The current matte as an image whose alpha is the matte (the result itself for version 1). */
  async matte(userId: string, jobId: string): Promise<{ version: number; bytes: Buffer; mime: string }> {
    const job = await this.editableJob(userId, jobId);
    const latest = await versions.latest(this.deps.db, job.id);
    if (latest) return { version: latest.version, bytes: await readObject(this.deps.storage, latest.filePath), mime: "image/png" };
    return {
      version: 1,
      bytes: await readObject(this.deps.storage, job.processedFilePath!),
      mime: job.format === "webp" ? "image/webp" : "image/png",
    };
  }

  /** Saves an edited matte (the photo's size; its alpha, or a mask's grey, is the matte) as the next version. */
  async saveMatte(userId: string, jobId: string, image: Uint8Array): Promise<MatteVersionView> {
    const job = await this.editableJob(userId, jobId);
    const original = await readObject(this.deps.storage, job.originalFilePath);
    const { width, height } = await asDomainErrors(() => probeImage(original));
    let png: Buffer;
    try {
      png = await encodeMatteImage(image, width, height);
    } catch (error) {
      if (error instanceof InvalidMatteError) throw new DomainError("INVALID_IMAGE", error.message);
      throw error;
    }
    const { db, storage, now } = this.deps;
    const row = await db.transaction(async (tx) => {
      await versions.lockJob(tx, job.id);
      const version = ((await versions.latest(tx, job.id))?.version ?? 1) + 1;
      const filePath = storageKeys.matteVersion(userId, job.id, version);
      const fileSize = await storage.put(filePath, png);
      return versions.insert(tx, { jobId: job.id, version, filePath, fileSize, createdAt: now() });
    });
    return { version: row.version, edited: true, createdAt: row.createdAt.toISOString() };
  }

  /**
   * The result composed with `layout` (background, shadow, crop, aspect, format, size) from the stored
   * original and the latest matte, at the job's tier (its edge-colour estimation), by the engine pool.
   */
  async compose(
    userId: string,
    jobId: string,
    layout: LayoutOptions,
  ): Promise<RemovalResult & { version: number; originalFileName: string }> {
    const job = await this.editableJob(userId, jobId);
    const [original, matte] = await Promise.all([readObject(this.deps.storage, job.originalFilePath), this.matte(userId, jobId)]);
    try {
      const result = await asDomainErrors(() => this.deps.composer.recompose(original, matte.bytes, { tier: parseTier(job.tier), layout }));
      return { ...result, version: matte.version, originalFileName: job.originalFileName };
    } catch (error) {
      if (error instanceof EngineBusyError) throw busy(5);
      throw error;
    }
  }

  /** The user's finished job, with both files still stored and a result that is a plain full-size cut-out. */
  private async editableJob(userId: string, jobId: string): Promise<RemovalJob> {
    const job = await findOwnJob(this.deps.db, userId, jobId);
    if (job.status !== "completed" || !job.processedFilePath) {
      throw new DomainError(
        "CONFLICT",
        "This removal has no finished result to edit yet. Wait for it to finish, or open a completed result from History.",
      );
    }
    const expired = job.originalExpiredAt ?? job.resultExpiredAt;
    if (expired) throw expiredFileError(expired);
    const problem = notEditableReason(job);
    if (problem) throw new DomainError("CONFLICT", problem);
    return job;
  }
}

/**
 * Why a stored result cannot be edited, or null: its alpha must line up pixel for pixel with the
 * original, which a crop, a layout, a flattened background or an upscaling step breaks.
 */
export function notEditableReason(job: Pick<RemovalJob, "outputOptions" | "pipeline" | "format">): string | null {
  const again = "Remove the background of the photo again in the web app (a plain cut-out) to edit it.";
  if (job.pipeline) return `This result was upscaled after its background was removed, so its matte no longer matches the photo. ${again}`;
  const options = (job.outputOptions ?? {}) as { background?: unknown; crop?: unknown; layout?: Record<string, unknown> };
  if (options.crop || (options.background && options.background !== "transparent"))
    return `This result was cropped or flattened onto a colour when it was made. ${again}`;
  if (options.layout && Object.keys(options.layout).some((key) => !PLAIN_LAYOUT_KEYS.has(key)))
    return `This result was made with a layout (crop, size, background or shadow). ${again}`;
  if (job.format === "jpg" || job.format === "zip") return `This result was saved without transparency. ${again}`;
  return null;
}
