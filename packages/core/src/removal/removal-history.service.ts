import type { Database, Executor, RemovalStatus, Removal } from "@bgr/db";
import { DomainError, queueEtaSeconds, type TierName } from "@bgr/domain";
import { creditRepository } from "../credits/credit.repository.ts";
import { removalRepository, type RemovalRepository } from "./removal.repository.ts";
import type { UrlSigner } from "../storage/signed-url.ts";
import type { Storage } from "../storage/storage.ts";
import { LINK_TTL_SECONDS, toRemovalView, type RemovalView } from "./removal-view.ts";

export interface RemovalListQuery {
  userId: string;
  page: number;
  pageSize: number;
  status?: RemovalStatus;
  tier?: TierName;
}

export interface RemovalPage {
  items: RemovalView[];
  page: number;
  pageSize: number;
  total: number;
}

export interface UsageStats {
  jobsByTier: Record<string, number>;
  jobsByStatus: Record<string, number>;
  /** Credits debited for removals and batches, minus refunds. */
  creditsSpent: number;
  meanProcessingTimeMs: number | null;
}

const UNSETTLED: RemovalStatus[] = ["pending", "processing"];
/** Ledger reasons that make up what removals cost: the charges, less their refunds. */
const REMOVAL_SPENDING = ["removal", "batch", "refund"] as const;

/** Fresh links to a job's files; null where the file was never made or is no longer stored. */
export interface RemovalLinks {
  jobId: string;
  originalUrl: string | null;
  processedUrl: string | null;
  expiresAt: string;
}

/** Where an unfinished job stands: jobs started before it and not yet done, and a rough wait. */
export interface QueuePlace {
  ahead: number;
  /** (ahead + 1) × the tier's mean removal time, as if one at a time: an upper estimate; null before any removal of the tier finished. */
  etaSeconds: number | null;
}

/** The user's own job row; another user's id is indistinguishable from one that does not exist. */
export async function findOwnRemoval(
  executor: Executor,
  userId: string,
  jobId: string,
  removals: Pick<RemovalRepository, "findOwned"> = removalRepository,
): Promise<Removal> {
  const row = await removals.findOwned(executor, userId, jobId);
  if (!row) throw new DomainError("NOT_FOUND", `No job ${jobId} in your account. Check the link, or open the job from History.`);
  return row;
}

/** Reading a user's jobs. Another user's id is indistinguishable from one that does not exist. */
export class RemovalHistoryService {
  constructor(
    private readonly db: Database,
    private readonly signer: UrlSigner,
    private readonly now: () => Date,
    private readonly storage: Storage,
  ) {}

  async list(query: RemovalListQuery): Promise<RemovalPage> {
    const { userId, status, tier } = query;
    const { rows, total } = await removalRepository.page(this.db, { userId, status, tier }, query.page, query.pageSize);
    const now = this.now();
    return { items: rows.map((row) => toRemovalView(row, this.signer, now)), page: query.page, pageSize: query.pageSize, total };
  }

  async get(userId: string, jobId: string): Promise<RemovalView> {
    return toRemovalView(await findOwnRemoval(this.db, userId, jobId), this.signer, this.now());
  }

  /** Signs the job's original and result again, so a page or history row older than a link's life can still download. */
  async links(userId: string, jobId: string): Promise<RemovalLinks> {
    const job = await findOwnRemoval(this.db, userId, jobId);
    const now = this.now();
    const signIfStored = async (key: string | null) =>
      key !== null && (await this.storage.size(key)) !== null ? this.signer.sign(key, now, LINK_TTL_SECONDS) : null;
    const [originalUrl, processedUrl] = await Promise.all([signIfStored(job.originalFilePath), signIfStored(job.processedFilePath)]);
    return { jobId: job.id, originalUrl, processedUrl, expiresAt: new Date(now.getTime() + LINK_TTL_SECONDS * 1000).toISOString() };
  }

  /** Null once the job has settled (nothing to wait for). */
  async queuePlace(userId: string, jobId: string): Promise<QueuePlace | null> {
    const job = await findOwnRemoval(this.db, userId, jobId);
    if (!UNSETTLED.includes(job.status)) return null;
    const [ahead, meanMs] = await Promise.all([
      removalRepository.countUnsettledBefore(this.db, job.createdAt),
      removalRepository.meanProcessingMs(this.db, { tier: job.tier }),
    ]);
    return { ahead, etaSeconds: queueEtaSeconds(ahead, meanMs) };
  }

  async stats(userId: string): Promise<UsageStats> {
    const [jobsByTier, jobsByStatus, meanMs, creditsSpent] = await Promise.all([
      removalRepository.countsOf(this.db, userId, "tier"),
      removalRepository.countsOf(this.db, userId, "status"),
      removalRepository.meanProcessingMs(this.db, { userId }),
      creditRepository.netSpent(this.db, userId, REMOVAL_SPENDING),
    ]);
    return { jobsByTier, jobsByStatus, creditsSpent, meanProcessingTimeMs: meanMs === null ? null : Math.round(meanMs) };
  }
}
