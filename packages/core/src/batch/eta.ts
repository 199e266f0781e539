import type { Executor } from "@bgr/db";
import type { TierName } from "@bgr/domain";
import type { BatchRepository } from "./batch.repository.ts";

/** Per-image time before any job of a tier has finished here: `pnpm bench` p50 on 1 MP, 2 cores. */
const BENCHMARK_MS_PER_IMAGE: Record<TierName, number> = { basic: 1500, standard: 2000, professional: 3800, industry: 7000 };
const SAMPLE = 50;

/** Minutes a batch should take, from the measured processing time of this tier's recent jobs. */
export async function estimateMinutes(
  batches: Pick<BatchRepository, "recentProcessingTimes">,
  executor: Executor,
  tier: TierName,
  images: number,
  parallelism: number,
): Promise<number> {
  const recent = await batches.recentProcessingTimes(executor, tier, SAMPLE);
  const msPerImage = recent.length > 0 ? recent.reduce((sum, ms) => sum + ms, 0) / recent.length : BENCHMARK_MS_PER_IMAGE[tier];
  return Math.max(1, Math.ceil((images * msPerImage) / Math.max(1, parallelism) / 60_000));
}
