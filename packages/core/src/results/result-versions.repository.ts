/**
 * All SQL of a result's edited mattes. Each function takes an executor (the database or an open
 * transaction); which version comes next and who may save one is the service's business.
 */
import { resultMatteVersions as versions, type Executor, type ResultMatteVersion } from "@bgr/db";
import { desc, eq, sql } from "drizzle-orm";

export const resultVersionsRepository = {
  /** The job's edited mattes, oldest first. */
  async list(executor: Executor, jobId: string): Promise<ResultMatteVersion[]> {
    return executor.select().from(versions).where(eq(versions.jobId, jobId)).orderBy(versions.version);
  },

  async latest(executor: Executor, jobId: string): Promise<ResultMatteVersion | null> {
    const [row] = await executor.select().from(versions).where(eq(versions.jobId, jobId)).orderBy(desc(versions.version)).limit(1);
    return row ?? null;
  },

  /**
   * Serialises saves of one job's mattes until the transaction ends (a transaction-scoped advisory
   * lock keyed by the job), so two saves at once take consecutive numbers instead of colliding.
   */
  async lockJob(executor: Executor, jobId: string): Promise<void> {
    await executor.execute(sql`select pg_advisory_xact_lock(hashtext(${`result-versions:${jobId}`}))`);
  },

  async insert(
    executor: Executor,
    row: { jobId: string; version: number; filePath: string; fileSize: number; createdAt: Date },
  ): Promise<ResultMatteVersion> {
    const [inserted] = await executor.insert(versions).values(row).returning();
    return inserted!;
  },
};
