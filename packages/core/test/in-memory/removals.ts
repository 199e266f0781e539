import type { Removal } from "@bgr/db";
import type { RemovalRepository } from "../../src/removal/removal.repository.ts";
import { removalRow } from "./batches.ts";
import { InMemoryRows, repository } from "./database.ts";

/** Removal rows (single removals and batch items) in memory, for the services that open and read them. */
export class InMemoryRemovals extends InMemoryRows<Removal> {
  readonly repository: RemovalRepository = repository<RemovalRepository>("removalRepository", {
    findOwned: async (_executor, userId, jobId) => {
      const row = this.rows.get(jobId);
      return row?.userId === userId ? row : null;
    },
    countSinglesSince: async (_executor, userId, since) => {
      const counted = [...this.rows.values()].filter((row) => row.userId === userId && row.batchId === null && row.createdAt > since);
      const oldest = counted.reduce<Date | null>((min, row) => (min && min <= row.createdAt ? min : row.createdAt), null);
      return { count: counted.length, oldest };
    },
    insert: async (_executor, job) => {
      if (this.rows.has(job.id!)) throw new Error(`duplicate job ${job.id}`);
      // The columns the insert leaves out take their defaults, as the table's would.
      const row = removalRow({ ...(job as Partial<Removal>), id: job.id!, userId: job.userId, tier: job.tier });
      this.rows.set(row.id, row);
      return row;
    },
    settle: async (_executor, jobId, settlement) => {
      const row = this.rows.get(jobId);
      if (!row || (row.status !== "pending" && row.status !== "processing")) return null;
      return this.update(jobId, { ...settlement, sealedAuthorization: null });
    },
    markRefunded: async (_executor, jobId, at) => {
      if (this.rows.has(jobId)) this.update(jobId, { refundedAt: at });
    },
    claimQuotaRefund: async (_executor, jobId, at) => {
      const row = this.rows.get(jobId);
      if (!row || row.pricingType !== "subscription" || row.refundedAt) return null;
      return { createdAt: this.update(jobId, { refundedAt: at }).createdAt };
    },
  });

  private update(jobId: string, changes: Partial<Removal>): Removal {
    const row = { ...this.rows.get(jobId)!, ...changes };
    this.rows.set(jobId, row);
    return row;
  }
}
