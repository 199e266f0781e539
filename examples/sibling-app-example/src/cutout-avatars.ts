// What an avatar feature of another Lumiku app needs from Background Remover Pro, written only
// against @lumiku/background-remover-client's public exports.
import type { BackgroundRemoverClient, BatchFile, BatchView, JobView, Tier } from "@lumiku/background-remover-client";
import { filesFromPaths } from "@lumiku/background-remover-client/node";

export interface Cutout {
  job: JobView;
  /** The transparent PNG. */
  png: Uint8Array;
}

/** One avatar: removes the photo's background and fetches the PNG through its signed link. */
export async function cutOutAvatar(client: BackgroundRemoverClient, photo: BatchFile, tier: Tier = "basic"): Promise<Cutout> {
  const job = await client.removeBackground(photo.data, { tier, fileName: photo.name, format: "png" });
  if (job.status !== "completed" || !job.processedUrl) {
    throw new Error(`Avatar ${photo.name} was not cut out (${job.status}): ${job.errorMessage ?? "no result"}`);
  }
  return { job, png: await client.download(job.processedUrl) };
}

export interface AvatarBatchPlan {
  /** Credits the batch costs, volume discount included. */
  price: number;
  balance: number;
  affordable: boolean;
}

/** Price and balance before uploading anything, so the app can ask its user first. */
export async function planAvatarBatch(client: BackgroundRemoverClient, tier: Tier, count: number): Promise<AvatarBatchPlan> {
  const [quote, account] = await Promise.all([
    client.trpc.pricing.calculate.query({ tier, imageCount: count }),
    client.trpc.account.me.query(),
  ]);
  return { price: quote.pricing.finalTotal, balance: account.creditBalance, affordable: account.creditBalance >= quote.pricing.finalTotal };
}

export interface AvatarBatch {
  batch: BatchView;
  /** `removed-<name>.png` for each photo that was cut out. */
  zip: Uint8Array;
}

/** Many avatars: one batch, waited for, and its ZIP. Failed photos are refunded by the server and listed in `batch.items`. */
export async function cutOutAvatars(
  client: BackgroundRemoverClient,
  photos: readonly BatchFile[],
  options: { tier?: Tier; onProgress?: (batch: BatchView) => void; timeoutMs?: number } = {},
): Promise<AvatarBatch> {
  const started = await client.startBatch(photos, { tier: options.tier ?? "basic" });
  const batch = await client.waitForBatch(started.batchId, {
    intervalMs: 500,
    timeoutMs: options.timeoutMs,
    onProgress: options.onProgress,
  });
  if (batch.status !== "completed") throw new Error(`Avatar batch ${batch.batchId} ended ${batch.status}; no ZIP to fetch.`);
  return { batch, zip: await client.downloadBatch(batch.batchId) };
}

/** The same from files on disk (a server-side import job, say). */
export async function cutOutAvatarFiles(
  client: BackgroundRemoverClient,
  paths: readonly string[],
  options: Parameters<typeof cutOutAvatars>[2] = {},
): Promise<AvatarBatch> {
  return cutOutAvatars(client, await filesFromPaths(paths), options);
}
