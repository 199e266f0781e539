/**
 * The worker daemon: `pnpm worker`. Any number of these, on any machines sharing the database and
 * the storage, split batches item by item.
 */
import path from "node:path";
import { AuthorizationSealer, CallbackGuard, CallbackSender, deploymentSecrets, JobQueue, JobSettlement, LocalStorage, UrlSigner } from "@bgr/core";
import { createDatabase, migrateDatabase, runningEmbeddedUrl } from "@bgr/db";
import { EnginePool } from "@bgr/engine";
import { LumikuApps } from "@bgr/integrations";
import { createRemovalRunner, describeProviders, ProviderRouter } from "@bgr/providers";
import { readWorkerEnv } from "./env.ts";
import { startWorkers } from "./index.ts";

const env = readWorkerEnv();
const databaseUrl = env.DATABASE_URL ?? runningEmbeddedUrl(path.join(env.DATA_DIR, "postgres"));
if (!databaseUrl) throw new Error("No DATABASE_URL and no server running the embedded database in DATA_DIR: start the server first, or set DATABASE_URL.");
const database = createDatabase(databaseUrl, { max: env.WORKER_CONCURRENCY + 2, applicationName: `bgr-worker ${env.WORKER_ID}` });
await migrateDatabase(database.db);
const secrets = await deploymentSecrets(env);
const engine = await EnginePool.start({ engine: { cacheDir: env.modelCacheDir, tierModels: env.tierModels }, workers: env.WORKER_CONCURRENCY, maxQueue: env.WORKER_CONCURRENCY });
const queue = await JobQueue.start({ connectionString: databaseUrl, expireInSeconds: env.QUEUE_EXPIRE_SECONDS });
const apps = new LumikuApps(env.lumikuApps);
const runner = createRemovalRunner(engine, env.remoteProviders);
const now = () => new Date();
const callbackSender = new CallbackSender(new CallbackGuard(env.callbackPolicy));
await startWorkers(
  {
    db: database.db,
    queue,
    runner,
    storage: new LocalStorage(env.storageDir),
    signer: new UrlSigner(secrets.urlSigning, "/api/apps/background-remover/files"),
    now,
    settlement: new JobSettlement({ db: database.db, queue, now, quotaTimeZone: env.QUOTA_TIMEZONE }),
    apps,
    sealer: new AuthorizationSealer(secrets.sealing),
    callbackSecret: secrets.callbacks,
    callbackSender,
    workerId: env.WORKER_ID,
    retention: env.retention,
  },
  { itemConcurrency: env.WORKER_CONCURRENCY },
);
console.log(`worker ${env.WORKER_ID}: ${env.WORKER_CONCURRENCY} item(s) at a time; ${describeProviders(env.remoteProviders)}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await queue.stop();
    await apps.close();
    await callbackSender.close();
    if (runner instanceof ProviderRouter) await runner.close();
    await engine.close();
    await database.close();
    process.exit(0);
  });
}
