/**
 * The worker daemon: `pnpm worker`. Any number of these, on any machines sharing the database and
 * the storage, split batches item by item and run the scheduled upkeep.
 */
import { describeProviders } from "@bgr/providers";
import { createInfrastructure, startWorkerProcess } from "@bgr/runtime";
import { readWorkerEnv } from "./env.ts";

const env = readWorkerEnv();
const infra = await createInfrastructure(env, {
  applicationName: `bgr-worker ${env.WORKER_ID}`,
  embedded: { mode: "join" },
  maxConnections: env.WORKER_CONCURRENCY + 2,
  engine: { workers: env.WORKER_CONCURRENCY, maxQueue: env.WORKER_CONCURRENCY },
});
await startWorkerProcess(infra, {
  itemConcurrency: env.WORKER_CONCURRENCY,
  workerId: env.WORKER_ID,
  retention: env.retention,
  graceDays: env.SUBSCRIPTION_GRACE_DAYS,
});
const log = infra.logger;
log.info(
  { workerId: env.WORKER_ID },
  `worker ${env.WORKER_ID}: ${env.WORKER_CONCURRENCY} item(s) at a time; ${describeProviders(env.remoteProviders)}`,
);

// The item in hand is finished within SHUTDOWN_GRACE_SECONDS, or given back for another worker.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    log.info(`worker ${env.WORKER_ID}: ${signal}, finishing the current item (up to ${env.SHUTDOWN_GRACE_SECONDS} s)`);
    await infra.close();
    log.info(`worker ${env.WORKER_ID}: stopped`);
    process.exit(0);
  });
}
