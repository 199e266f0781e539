import { backgroundRemovalJobs, creditLedger, type Database, type JobStatus, type RemovalTier } from "@bgr/db";
import { DomainError } from "@bgr/domain";
import { and, avg, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { UrlSigner } from "../storage/signed-url.ts";
import { toJobView, type JobView } from "./job-view.ts";

export interface JobListQuery {
  userId: string;
  page: number;
  pageSize: number;
  status?: JobStatus;
  tier?: RemovalTier;
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

/** Reading a user's jobs. Another user's id is indistinguishable from one that does not exist. */
export class JobsService {
  constructor(
    private readonly db: Database,
    private readonly signer: UrlSigner,
    private readonly now: () => Date,
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
    const [row] = await this.db
      .select()
      .from(backgroundRemovalJobs)
      .where(and(eq(backgroundRemovalJobs.id, jobId), eq(backgroundRemovalJobs.userId, userId)));
    if (!row) throw new DomainError("NOT_FOUND", `No job ${jobId} in your account.`);
    return toJobView(row, this.signer, this.now());
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
