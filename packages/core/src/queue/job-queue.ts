import type { Transaction } from "@bgr/db";
import PgBoss from "pg-boss";
import { QUEUES, type MaintenanceQueueKey, type QueueKey, type QueuePayloads } from "./queues.ts";

export interface QueuedJob<K extends QueueKey> {
  id: string;
  data: QueuePayloads[K];
  /** Attempts already failed before this one. */
  retryCount: number;
  retryLimit: number;
}

export interface JobQueueOptions {
  connectionString: string;
  /** How long a worker may hold a job before it is considered lost (e.g. its process was killed) and retried. */
  expireInSeconds: number;
  pollingIntervalSeconds?: number;
}

/**
 * pg-boss in the product's own PostgreSQL. Jobs are enqueued inside the caller's Drizzle
 * transaction, so a job exists exactly when the rows it refers to do.
 */
export class JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly options: JobQueueOptions,
  ) {}

  static async start(options: JobQueueOptions): Promise<JobQueue> {
    const boss = new PgBoss({ connectionString: options.connectionString, max: 4, application_name: "bgr-queue" });
    boss.on("error", (error) => console.error("pg-boss:", error.message));
    await boss.start();
    for (const queue of Object.values(QUEUES)) await boss.createQueue(queue.name);
    return new JobQueue(boss, options);
  }

  /** Enqueues jobs in `tx`: they commit or roll back with it. `ids` (uuids) let rows point at their queue job. */
  async enqueue<K extends QueueKey>(tx: Transaction, key: K, payloads: QueuePayloads[K][], ids?: string[]): Promise<void> {
    if (payloads.length === 0) return;
    const queue = QUEUES[key];
    const jobs = payloads.map((data, i) => ({ id: ids?.[i], name: queue.name, data, expireInSeconds: this.options.expireInSeconds, ...queue.options }));
    await this.boss.insert(jobs, { db: transactionExecutor(tx) });
  }

  /** Runs a scheduled queue on its cron (UTC). Every process may call this: pg-boss keeps one schedule per queue. */
  async schedule(key: MaintenanceQueueKey): Promise<void> {
    const queue = QUEUES[key];
    await this.boss.schedule(queue.name, queue.cron, {}, { tz: "UTC", ...queue.options });
  }

  /** Runs `handler` for jobs of one queue, `concurrency` at a time. A throw means "retry later". */
  async work<K extends QueueKey>(key: K, concurrency: number, handler: (job: QueuedJob<K>) => Promise<void>): Promise<void> {
    const name = QUEUES[key].name;
    const pollingIntervalSeconds = this.options.pollingIntervalSeconds ?? 1;
    // pg-boss 10 fetches per work() loop; several loops give parallelism without over-fetching.
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<QueuePayloads[K]>(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds }, async ([job]) => {
        if (job) await handler({ id: job.id, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit });
      });
    }
  }

  /** Resolves when pg-boss's own connection can read its tables (the server's readiness check). */
  async ping(): Promise<void> {
    await this.boss.getQueue(Object.values(QUEUES)[0]!.name);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}

/** pg-boss's `db` hook on the postgres.js connection that runs a Drizzle transaction. */
function transactionExecutor(tx: Transaction): PgBoss.Db {
  // Drizzle's postgres-js transaction keeps its postgres.js TransactionSql as session.client.
  const client = (tx as unknown as { session: { client: { unsafe(text: string, values: unknown[]): Promise<unknown[]> } } }).session.client;
  // node-postgres (pg-boss's own driver) sends undefined as NULL; postgres.js refuses it.
  return { executeSql: async (text, values) => ({ rows: (await client.unsafe(text, values.map((v) => v ?? null))) as unknown[] }) };
}
