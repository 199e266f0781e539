import { backgroundRemovalJobs, creditLedger, type Database, type JobStatus, type RemovalJob } from "@bgr/db";
import { DomainError, type TierName } from "@bgr/domain";
import { and, avg, count, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { UrlSigner } from "../storage/signed-url.ts";
import type { Storage } from "../storage/storage.ts";
import { LINK_TTL_SECONDS, toJobView, type JobView } from "./job-view.ts";

export interface JobListQuery {
  userId: string;
  page: number;
  pageSize: number;
  status?: JobStatus;
  tier?: TierName;
}

export interface JobPage {
  items: JobView[];
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

const UNSETTLED: JobStatus[] = ["pending", "processing"];

/** Fresh links to a job's files; null where the file was never made or is no longer stored. */
export interface JobLinks {
  jobId: string;
  originalUrl: string | null;
  processedUrl: string | null;
  expiresAt: string;
}

/** Where an unfinished job stands: jobs started before it and not yet done, and a rough wait. */
export interface JobQueuePlace {
  ahead: number;
  /** (ahead + 1) × the tier's mean removal time, as if one at a time: an upper estimate; null before any removal of the tier finished. */
  etaSeconds: number | null;
}

/** The user's own job row; another user's id is indistinguishable from one that does not exist. */
export async function findOwnJob(db: Database, userId: string, jobId: string): Promise<RemovalJob> {
  const [row] = await db
    .select()
    .from(backgroundRemovalJobs)
    .where(and(eq(backgroundRemovalJobs.id, jobId), eq(backgroundRemovalJobs.userId, userId)));
  if (!row) throw new DomainError("NOT_FOUND", `No job ${jobId} in your account. Check the link, or open the job from History.`);
  return row;
}

/** Reading a user's jobs. Another user's id is indistinguishable from one that does not exist. */
export class JobsService {
  constructor(
    private readonly db: Database,
    private readonly signer: UrlSigner,
    private readonly now: () => Date,
    private readonly storage: Storage,
  ) {}

  async list(query: JobListQuery): Promise<JobPage> {
    const filters: SQL[] = [eq(backgroundRemovalJobs.userId, query.userId)];
    if (query.status) filters.push(eq(backgroundRemovalJobs.status, query.status));
    if (query.tier) filters.push(eq(backgroundRemovalJobs.tier, query.tier));
    const where = and(...filters);
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(backgroundRemovalJobs)
        .where(where)
        .orderBy(desc(backgroundRemovalJobs.createdAt), desc(backgroundRemovalJobs.id))
        .limit(query.pageSize)
        .offset((query.page - 1) * query.pageSize),
      this.db.select({ n: count() }).from(backgroundRemovalJobs).where(where),
    ]);
    const now = this.now();
    return { items: rows.map((row) => toJobView(row, this.signer, now)), page: query.page, pageSize: query.pageSize, total: total?.n ?? 0 };
  }

  async get(userId: string, jobId: string): Promise<JobView> {
    return toJobView(await findOwnJob(this.db, userId, jobId), this.signer, this.now());
  }

  /** Signs the job's original and result again, so a page or history row older than a link's life can still download. */
  async links(userId: string, jobId: string): Promise<JobLinks> {
    const job = await findOwnJob(this.db, userId, jobId);
    const now = this.now();
    const signIfStored = async (key: string | null) => (key !== null && (await this.storage.size(key)) !== null ? this.signer.sign(key, now, LINK_TTL_SECONDS) : null);
    const [originalUrl, processedUrl] = await Promise.all([signIfStored(job.originalFilePath), signIfStored(job.processedFilePath)]);
    return { jobId: job.id, originalUrl, processedUrl, expiresAt: new Date(now.getTime() + LINK_TTL_SECONDS * 1000).toISOString() };
  }

  /** Null once the job has settled (nothing to wait for). */
  async queuePlace(userId: string, jobId: string): Promise<JobQueuePlace | null> {
    const job = await findOwnJob(this.db, userId, jobId);
    if (!UNSETTLED.includes(job.status)) return null;
    const [[ahead], [timing]] = await Promise.all([
      this.db
        .select({ n: count() })
        .from(backgroundRemovalJobs)
        .where(and(inArray(backgroundRemovalJobs.status, UNSETTLED), lt(backgroundRemovalJobs.createdAt, job.createdAt))),
      this.db
        .select({ mean: avg(backgroundRemovalJobs.processingTimeMs) })
        .from(backgroundRemovalJobs)
        .where(and(eq(backgroundRemovalJobs.tier, job.tier), eq(backgroundRemovalJobs.status, "completed"))),
    ]);
    const n = ahead?.n ?? 0;
    const mean = timing?.mean == null ? null : Number(timing.mean);
    return { ahead: n, etaSeconds: mean === null ? null : Math.ceil(((n + 1) * mean) / 1000) };
  }

  async stats(userId: string): Promise<UsageStats> {
    const mine = eq(backgroundRemovalJobs.userId, userId);
    const [byTier, byStatus, [timing], [spent]] = await Promise.all([
      this.db.select({ key: backgroundRemovalJobs.tier, n: count() }).from(backgroundRemovalJobs).where(mine).groupBy(backgroundRemovalJobs.tier),
      this.db.select({ key: backgroundRemovalJobs.status, n: count() }).from(backgroundRemovalJobs).where(mine).groupBy(backgroundRemovalJobs.status),
      this.db
        .select({ mean: avg(backgroundRemovalJobs.processingTimeMs) })
        .from(backgroundRemovalJobs)
        .where(and(mine, eq(backgroundRemovalJobs.status, "completed"))),
      this.db
        .select({ spent: sql<number>`coalesce(-sum(${creditLedger.delta}), 0)::int` })
        .from(creditLedger)
        .where(and(eq(creditLedger.userId, userId), inArray(creditLedger.reason, ["removal", "batch", "refund"]))),
    ]);
    return {
      jobsByTier: Object.fromEntries(byTier.map((r) => [r.key, r.n])),
      jobsByStatus: Object.fromEntries(byStatus.map((r) => [r.key, r.n])),
      creditsSpent: spent?.spent ?? 0,
      meanProcessingTimeMs: timing?.mean == null ? null : Math.round(Number(timing.mean)),
    };
  }
}
