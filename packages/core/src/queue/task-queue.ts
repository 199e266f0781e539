import { setTimeout as sleep } from "node:timers/promises";
import type { Transaction } from "@bgr/db";
import PgBoss from "pg-boss";
import { currentLogContext, withLogContext } from "../logging/log-context.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { QUEUES, type QueueKey, type QueuePayloads, type ScheduledQueueKey } from "./queues.ts";

export interface QueueTask<K extends QueueKey> {
  id: string;
  data: QueuePayloads[K];
  /** Attempts already failed before this one. */
  retryCount: number;
  retryLimit: number;
}

export interface TaskQueueOptions {
  connectionString: string;
  /**
   * The lease: a job whose worker has not been heard of for this long (its process was killed) is
   * retried by another worker. Running handlers renew it every third of it, so a long item never expires.
   */
  expireInSeconds: number;
  pollingIntervalSeconds?: number;
  /** On stop, how long running handlers may finish before their jobs are given back (default 25 s). */
  shutdownGraceSeconds?: number;
  /** The process's logger (default: JSON lines named "queue"); a line written during a job carries its ids. */
  logger?: Logger;
}

/** Stored beside a job's payload: the id of the HTTP request (or of the job) that enqueued it, for the logs. */
type Envelope<P> = P & { requestId?: string };

/** pg-boss's schema, where its job table lives. */
const BOSS_SCHEMA = "pgboss";

/**
 * pg-boss in the product's own PostgreSQL. Its jobs are our queue tasks (QueueTask; "job" in pg-boss's
 * own names only, never a removal row). Tasks are enqueued inside the caller's Drizzle transaction,
 * so a task exists exactly when the rows it refers to do.
 */
export class TaskQueue {
  private readonly loops: Promise<void>[] = [];
  private readonly stopping = new AbortController();
  /** Tasks whose handler runs in this process now: id → queue name. */
  private readonly running = new Map<string, string>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: TaskQueueOptions,
    private readonly log: Logger,
  ) {}

  static async start(options: TaskQueueOptions): Promise<TaskQueue> {
    const boss = new PgBoss({
      connectionString: options.connectionString,
      schema: BOSS_SCHEMA,
      max: 4,
      application_name: "bgr-queue",
      // Expired leases are found by pg-boss's maintenance (one process per interval runs it): often
      // enough that a lost job waits little more than its lease.
      maintenanceIntervalSeconds: maintenanceIntervalFor(options.expireInSeconds),
    });
    const log = options.logger ?? createLogger("queue");
    boss.on("error", (error) => log.error({ err: error }, "pg-boss failed"));
    await boss.start();
    for (const queue of Object.values(QUEUES)) await retryOnDeadlock(() => boss.createQueue(queue.name));
    return new TaskQueue(boss, options, log);
  }

  /**
   * Enqueues jobs in `tx`: they commit or roll back with it. `ids` (uuids) let rows point at their queue job.
   * Each job keeps the current request id (see withLogContext), so the worker's lines for it carry it too.
   */
  async enqueue<K extends QueueKey>(tx: Transaction, key: K, payloads: QueuePayloads[K][], ids?: string[]): Promise<void> {
    if (payloads.length === 0) return;
    const queue = QUEUES[key];
    const { requestId } = currentLogContext();
    const jobs = payloads.map((payload, i) => {
      const data: Envelope<QueuePayloads[K]> = requestId ? { ...payload, requestId } : payload;
      return { id: ids?.[i], name: queue.name, data, expireInSeconds: this.options.expireInSeconds, ...queue.options };
    });
    await this.boss.insert(jobs, { db: transactionExecutor(tx) });
  }

  /** Runs a scheduled queue on its cron (UTC). Every process may call this: pg-boss keeps one schedule per queue. */
  async schedule(key: ScheduledQueueKey): Promise<void> {
    const queue = QUEUES[key];
    await this.boss.schedule(queue.name, queue.cron, {}, { tz: "UTC", ...queue.options });
  }

  /**
   * Runs `handler` for jobs of one queue, `concurrency` at a time, renewing each job's lease while it
   * runs. A throw means "retry later". Our own fetch loop rather than pg-boss's work(), which fails a
   * job whose handler outlives its expire_in on the client side and so cannot honour a renewed lease.
   */
  async work<K extends QueueKey>(key: K, concurrency: number, handler: (task: QueueTask<K>) => Promise<void>): Promise<void> {
    for (let i = 0; i < concurrency; i++) this.loops.push(this.loop(QUEUES[key].name, handler));
  }

  private async loop<K extends QueueKey>(name: string, handler: (task: QueueTask<K>) => Promise<void>): Promise<void> {
    const pollMs = (this.options.pollingIntervalSeconds ?? 1) * 1000;
    while (!this.stopping.signal.aborted) {
      let job: PgBoss.JobWithMetadata<Envelope<QueuePayloads[K]>> | undefined;
      try {
        [job] = await this.boss.fetch<Envelope<QueuePayloads[K]>>(name, { batchSize: 1, includeMetadata: true });
      } catch (error) {
        if (!this.stopping.signal.aborted) this.log.error({ err: error, queue: name }, "fetching a job failed");
      }
      if (!job) {
        await sleep(pollMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        continue;
      }
      const { requestId, ...data } = job.data;
      // The payload's ids (batchId, jobId, …) and the request that caused the job go on every line the handler logs.
      await withLogContext({ ...logFields(data), requestId, queue: name, queueJobId: job.id }, () =>
        this.run(name, job, data as QueuePayloads[K], handler),
      );
    }
  }

  private async run<K extends QueueKey>(
    name: string,
    job: PgBoss.JobWithMetadata<unknown>,
    data: QueuePayloads[K],
    handler: (task: QueueTask<K>) => Promise<void>,
  ): Promise<void> {
    const started = Date.now();
    const heartbeat = setInterval(() => void this.renewLease(name, job.id), (this.options.expireInSeconds * 1000) / 3);
    this.running.set(job.id, name);
    try {
      await handler({ id: job.id, data, retryCount: job.retryCount, retryLimit: job.retryLimit });
      clearInterval(heartbeat);
      this.running.delete(job.id);
      await this.boss.complete(name, job.id);
      this.log.info({ ms: Date.now() - started }, "job done");
    } catch (error) {
      clearInterval(heartbeat);
      this.running.delete(job.id);
      const willRetry = job.retryCount < job.retryLimit;
      this.log.error(
        { err: error, attempt: job.retryCount + 1, willRetry },
        willRetry ? "job failed; it will be retried" : "job failed for good",
      );
      await this.boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) }).catch((failure: Error) => {
        // The lease then lapses and the job is retried anyway.
        this.log.error({ err: failure }, "could not record the job's failure");
      });
    }
  }

  /** Jobs waiting per queue (created or waiting to retry, not yet running), keyed by queue name. */
  async depths(): Promise<Record<string, number>> {
    const entries = await Promise.all(
      Object.values(QUEUES).map(async (queue) => [queue.name, await this.boss.getQueueSize(queue.name)] as const),
    );
    return Object.fromEntries(entries);
  }

  /** Resolves when pg-boss's own connection can read its tables (the server's readiness check). */
  async ping(): Promise<void> {
    await this.boss.getQueue(Object.values(QUEUES)[0]!.name);
  }

  /**
   * pg-boss 10 has no heartbeat: a job expires `expire_in` after `started_on`. Pushing `expire_in` to
   * "now + lease" keeps a live worker's job; a killed worker stops renewing and its job expires one
   * lease after its last sign of life.
   */
  private async renewLease(name: string, id: string): Promise<void> {
    try {
      await this.boss
        .getDb()
        .executeSql(
          `UPDATE ${BOSS_SCHEMA}.job SET expire_in = (now() - started_on) + make_interval(secs => $3) WHERE name = $1 AND id = $2 AND state = 'active'`,
          [name, id, this.options.expireInSeconds],
        );
    } catch (error) {
      // The next beat tries again; a lease that lapses only means another worker retries the job.
      this.log.error({ err: error, queue: name, queueJobId: id }, "could not renew the job's lease");
    }
  }

  /**
   * Graceful shutdown (SIGTERM): stops fetching, lets running handlers finish within the grace, and
   * gives the jobs of those that did not back to the queue at once, as if never started (no attempt
   * counted), so another worker takes them now instead of one lease later. Then stops pg-boss.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    const graceMs = (this.options.shutdownGraceSeconds ?? 25) * 1000;
    await Promise.race([Promise.all(this.loops), sleep(graceMs)]);
    if (this.running.size > 0) await this.giveBack([...this.running.keys()]);
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }

  private async giveBack(ids: string[]): Promise<void> {
    try {
      await this.boss
        .getDb()
        .executeSql(
          `UPDATE ${BOSS_SCHEMA}.job SET state = 'created', started_on = NULL, start_after = now() WHERE id = ANY($1::uuid[]) AND state = 'active'`,
          [ids],
        );
      this.log.info({ queueJobIds: ids }, `gave ${ids.length} unfinished job(s) back for another worker`);
    } catch (error) {
      // Their leases lapse instead, and they are retried one lease later.
      this.log.error({ err: error, queueJobIds: ids }, "could not give unfinished jobs back");
    }
  }
}

/**
 * pg-boss creates a queue with DDL (a partition and its indexes); a server and a worker starting at
 * the same moment on a fresh database can deadlock there, and PostgreSQL then aborts one of them.
 * The loser simply tries again: by then the other has created the queue, which makes it a no-op.
 */
async function retryOnDeadlock<T>(operation: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if ((error as { code?: string }).code !== "40P01" || attempt >= attempts) throw error;
      await sleep(50 + Math.random() * 200 * attempt);
    }
  }
}

/** Expired leases are looked for four times per lease, at most every 30 s. */
export function maintenanceIntervalFor(leaseSeconds: number): number {
  return Math.min(30, Math.max(1, Math.floor(leaseSeconds / 4)));
}

/** pg-boss's `db` hook on the postgres.js connection that runs a Drizzle transaction. */
function transactionExecutor(tx: Transaction): PgBoss.Db {
  // Drizzle's postgres-js transaction keeps its postgres.js TransactionSql as session.client.
  const client = (tx as unknown as { session: { client: { unsafe(text: string, values: unknown[]): Promise<unknown[]> } } }).session.client;
  // node-postgres (pg-boss's own driver) sends undefined as NULL; postgres.js refuses it.
  return {
    executeSql: async (text, values) => ({
      rows: (await client.unsafe(
        text,
        values.map((v) => v ?? null),
      )) as unknown[],
    }),
  };
}

/** A payload's string fields (its ids, a mail's kind) as log fields. */
function logFields(payload: object): Record<string, string> {
  return Object.fromEntries(Object.entries(payload).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}
