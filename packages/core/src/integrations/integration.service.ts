import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PipelineOrder } from "@bgr/db";
import { assertBatchImageCount, DomainError, parseTier, type SiblingApp } from "@bgr/domain";
import { DEFAULT_DECODE_LIMITS, probeImage } from "@bgr/engine";
import { SiblingAppError, type LumikuApps, type SiblingImage } from "@bgr/integrations";
import type { BatchService, StagedFile } from "../batch/batch.service.ts";
import type { CallbackGuard } from "../callbacks/callback-url.ts";
import { asDomainErrors } from "../removal/engine-errors.ts";
import type { RemovalService } from "../removal/removal.service.ts";
import type { AuthorizationSealer } from "./sealed-authorization.ts";

export interface IntegrationServiceDeps {
  apps: LumikuApps;
  batches: BatchService;
  removal: RemovalService;
  sealer: AuthorizationSealer;
  /** Checked before anything is fetched from the sibling app; the batch or job checks again when it is created. */
  callbacks: CallbackGuard;
  /** Where a project's images wait between download and batch creation (removed after each request). */
  stagingDir: string;
}

/** Who is calling: the sibling app decides ownership from the forwarded Authorization header. */
export interface IntegrationCaller {
  userId: string;
  authorization: string;
  callbackUrl?: string;
}

export interface ProjectBatchRequest extends IntegrationCaller {
  projectId: string;
  tier: string;
}

/** Spec 3.2.5. A project of one image becomes a single removal job (`batchId` null, `jobId` set). */
interface ProjectWork {
  batchId: string | null;
  jobId: string | null;
  projectId: string;
  totalCredits: number;
  discountPercentage: number;
  status: string;
}
export type AvatarBatchResult = ProjectWork & { totalAvatars: number };
export type CarouselBatchResult = ProjectWork & { totalSlides: number };

export interface PoseAutoRemoveRequest extends IntegrationCaller {
  generatedImageId: string;
  tier: string;
}

export interface UpscalerPipelineRequest extends IntegrationCaller {
  imageId: string;
  pipeline: PipelineOrder;
  removalTier: string;
  upscaleFactor: number;
}

/** Images fetched from a sibling at once: enough to hide latency, few enough not to flood it. */
const DOWNLOAD_CONCURRENCY = 4;

/**
 * The Lumiku integration endpoints. Each fetches what it needs from the sibling app BEFORE any money
 * moves, then hands over to the ordinary single, batch or pipeline path, so pricing, validation,
 * transactions and refunds are exactly those of work uploaded by hand.
 */
export class IntegrationService {
  constructor(private readonly deps: IntegrationServiceDeps) {}

  async avatarCreatorBatch(request: ProjectBatchRequest): Promise<AvatarBatchResult> {
    const { total, ...work } = await this.projectBatch("avatar-creator", request);
    return { ...work, totalAvatars: total };
  }

  async carouselMixBatch(request: ProjectBatchRequest): Promise<CarouselBatchResult> {
    const { total, ...work } = await this.projectBatch("carousel-mix", request);
    return { ...work, totalSlides: total };
  }

  async poseAutoRemove(request: PoseAutoRemoveRequest) {
    const tier = parseTier(request.tier);
    await this.deps.callbacks.check(request.callbackUrl);
    const image = await fromSibling(() => this.deps.apps.generatedImage(request.generatedImageId, request.authorization));
    const bytes = await this.downloadOne("pose-generator", image, request.authorization);
    const job = await this.deps.removal.removeSingle({
      userId: request.userId,
      fileName: image.name,
      bytes,
      tier,
      callbackUrl: request.callbackUrl,
      source: { app: "pose-generator", ref: request.generatedImageId },
    });
    return {
      jobId: job.jobId,
      generatedImageId: request.generatedImageId,
      status: job.status,
      tier: job.tier,
      processedUrl: job.processedUrl,
      creditsUsed: job.creditsUsed,
      pricingType: job.pricingType,
    };
  }

  /** Charges the removal and queues the two steps; the job's status and URLs are read like any job's. */
  async upscalerPipeline(request: UpscalerPipelineRequest) {
    const tier = parseTier(request.removalTier);
    await this.deps.callbacks.check(request.callbackUrl);
    const image = await fromSibling(() => this.deps.apps.upscalerImage(request.imageId, request.authorization));
    const bytes = await this.downloadOne("image-upscaler", image, request.authorization);
    if (request.pipeline === "upscale-then-remove") await assertUpscaledRemovable(bytes, request.upscaleFactor);
    const job = await this.deps.removal.startPipeline({
      userId: request.userId,
      fileName: image.name,
      bytes,
      tier,
      callbackUrl: request.callbackUrl,
      source: { app: "image-upscaler", ref: request.imageId },
      order: request.pipeline,
      upscaleFactor: request.upscaleFactor,
      sealedAuthorization: this.deps.sealer.seal(request.authorization),
    });
    return {
      jobId: job.jobId,
      imageId: request.imageId,
      pipeline: request.pipeline,
      removalTier: job.tier,
      upscaleFactor: request.upscaleFactor,
      status: job.status,
      creditsUsed: job.creditsUsed,
      pricingType: job.pricingType,
    };
  }

  private async projectBatch(
    app: "avatar-creator" | "carousel-mix",
    request: ProjectBatchRequest,
  ): Promise<ProjectWork & { total: number }> {
    const tier = parseTier(request.tier);
    await this.deps.callbacks.check(request.callbackUrl);
    const images = await fromSibling(() => this.deps.apps.projectImages(app, request.projectId, request.authorization));
    if (images.length === 0) {
      throw new DomainError("INVALID_IMAGE_COUNT", `Project ${request.projectId} has no images yet. Add some in ${appTitle(app)} first.`, {
        actual: 0,
        min: 1,
        max: 500,
      });
    }
    const source = { app, ref: request.projectId };
    if (images.length === 1) {
      const bytes = await this.downloadOne(app, images[0]!, request.authorization);
      const job = await this.deps.removal.removeSingle({
        userId: request.userId,
        fileName: images[0]!.name,
        bytes,
        tier,
        callbackUrl: request.callbackUrl,
        source,
      });
      return {
        batchId: null,
        jobId: job.jobId,
        projectId: request.projectId,
        total: 1,
        totalCredits: job.creditsUsed,
        discountPercentage: 0,
        status: job.status,
      };
    }
    assertBatchImageCount(images.length);
    // Fail fast before downloading hundreds of images; the ledger's debit stays the authority.
    await this.deps.batches.assertCanStart(request.userId, tier, images.length);

    await mkdir(this.deps.stagingDir, { recursive: true });
    const dir = await mkdtemp(path.join(this.deps.stagingDir, "integration-"));
    try {
      const files = await this.stage(app, images, request.authorization, dir);
      const batch = await this.deps.batches.create({ userId: request.userId, tier, files, callbackUrl: request.callbackUrl, source });
      return {
        batchId: batch.batchId,
        jobId: null,
        projectId: request.projectId,
        total: batch.totalImages,
        totalCredits: batch.pricing.finalTotal,
        discountPercentage: batch.pricing.discountPercentage,
        status: batch.status,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Downloads every image to `dir`; an unusable image becomes that file's problem, so the batch's 400 names them all. */
  private async stage(app: SiblingApp, images: SiblingImage[], authorization: string, dir: string): Promise<StagedFile[]> {
    const files: StagedFile[] = new Array(images.length);
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < images.length && !failed) {
        const index = next++;
        const image = images[index]!;
        const file: StagedFile = { name: image.name, path: path.join(dir, String(index)), size: 0 };
        try {
          const { bytes } = await this.deps.apps.download(app, image, authorization);
          await writeFile(file.path, bytes);
          file.size = bytes.length;
        } catch (error) {
          if (!(error instanceof SiblingAppError && error.kind === "bad-image")) {
            failed = true; // the others stop taking images: the whole request fails
            throw siblingErrorToDomain(error);
          }
          file.problem = error.message;
        }
        files[index] = file;
      }
    };
    await Promise.all(Array.from({ length: Math.min(DOWNLOAD_CONCURRENCY, images.length) }, worker));
    return files;
  }

  private async downloadOne(app: SiblingApp, image: SiblingImage, authorization: string): Promise<Buffer> {
    const { bytes } = await fromSibling(() => this.deps.apps.download(app, image, authorization));
    return bytes;
  }
}

async function fromSibling<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw siblingErrorToDomain(error);
  }
}

/** A sibling's failure in our error vocabulary: its 404 is our 404; its outages are 502/504 with nothing charged. */
function siblingErrorToDomain(error: unknown): unknown {
  if (!(error instanceof SiblingAppError)) return error;
  switch (error.kind) {
    case "not-configured":
      return new DomainError("NOT_CONFIGURED", error.message);
    case "not-found":
      return new DomainError("NOT_FOUND", error.message);
    case "forbidden":
      return new DomainError("FORBIDDEN", error.message);
    case "bad-image":
      return new DomainError("INVALID_IMAGE", error.message);
    case "timeout":
      return new DomainError("UPSTREAM_TIMEOUT", error.message);
    case "unavailable":
    case "refused":
    case "bad-response":
      return new DomainError("UPSTREAM_FAILED", error.message);
  }
}

/** Refused before charging: the removal could never take the upscaled image. */
async function assertUpscaledRemovable(bytes: Buffer, factor: number): Promise<void> {
  const probe = await asDomainErrors(() => probeImage(bytes));
  const pixels = probe.width * factor * probe.height * factor;
  if (pixels > DEFAULT_DECODE_LIMITS.maxPixels) {
    throw new DomainError(
      "INVALID_OPTIONS",
      `Upscaled ${factor}× this ${probe.width}x${probe.height} image has ${(pixels / 1e6).toFixed(0)} megapixels, more than the ${DEFAULT_DECODE_LIMITS.maxPixels / 1e6} the removal accepts. Use remove-then-upscale or a smaller factor.`,
    );
  }
}

function appTitle(app: SiblingApp): string {
  return app
    .split("-")
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join(" ");
}
