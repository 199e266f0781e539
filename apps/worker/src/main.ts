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
await startWorkerProcess(infra, { itemConcurrency: env.WORKER_CONCURRENCY, workerId: env.WORKER_ID, retention: env.retention, graceDays: env.SUBSCRIPTION_GRACE_DAYS });
console.log(`worker ${env.WORKER_ID}: ${env.WORKER_CONCURRENCY} item(s) at a time; ${describeProviders(env.remoteProviders)}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await infra.close();
    process.exit(0);
  });
}
