import {
  AuthorizationSealer,
  CallbackGuard,
  CallbackSender,
  createLogger,
  createStorage,
  deploymentSecrets,
  InvoiceGatewayProvider,
  TaskQueue,
  RemovalSettlementService,
  ManualPaymentProvider,
  UrlSigner,
  type Logger,
  type PaymentProvider,
  type RemovalRunner,
  type Storage,
} from "@bgr/core";
import type { DatabaseHandle } from "@bgr/db";
import { FILES_ROUTE } from "@bgr/domain";
import { EnginePool } from "@bgr/engine";
import { LumikuApps, type Resolver } from "@bgr/integrations";
import { createRemovalRunner, ProviderRouter } from "@bgr/providers";
import { openDatabase, type DatabaseConnectOptions } from "./database.ts";
import type { InfrastructureEnv } from "./env.ts";

export interface InfrastructureOptions extends DatabaseConnectOptions {
  /** Removals the engine pool runs at once (one worker thread each), and how many may wait. */
  engine: { workers: number; maxQueue: number };
  /** Test seam: the clock every service reads (quota day, expiry, rate limits, links). */
  now?: () => Date;
  /** Test seam: the DNS the callback guard asks, at submission and at connect. */
  resolve?: Resolver;
}

/** The singletons of one process, built once by createInfrastructure; services are composed over them. */
export interface Infrastructure {
  database: DatabaseHandle;
  /** The embedded database's URL when no DATABASE_URL was given. */
  databaseUrl: string;
  /** Whether this process started the embedded PostgreSQL (the embedded default). */
  embedded: boolean;
  secrets: Awaited<ReturnType<typeof deploymentSecrets>>;
  /** JSON lines (pino) named after the process; lines written during a request or a job carry their ids. */
  logger: Logger;
  queue: TaskQueue;
  storage: Storage;
  signer: UrlSigner;
  engine: EnginePool;
  /** The engine pool, or a router over it and the remote providers. */
  runner: RemovalRunner;
  /** The other Lumiku apps. */
  apps: LumikuApps;
  sealer: AuthorizationSealer;
  /** Where callbacks may go, checked at submission and again at connect. */
  callbacks: CallbackGuard;
  callbackSender: CallbackSender;
  /** The one place the payment gateway is chosen; a real one (Midtrans, Xendit, Stripe) is another PaymentProvider. */
  paymentProvider: PaymentProvider;
  /** How single and pipeline jobs end. */
  settlement: RemovalSettlementService;
  now: () => Date;
  /** Stops the queue and closes everything above, in order. */
  close(): Promise<void>;
}

/** The one bootstrap of every process (server, worker daemon, admin CLI): the only place these singletons are created. */
export async function createInfrastructure(env: InfrastructureEnv, options: InfrastructureOptions): Promise<Infrastructure> {
  const logger = createLogger(options.applicationName, env.LOG_LEVEL);
  const { database, databaseUrl, embedded, close: closeDatabase } = await openDatabase(env, options);
  const secrets = await deploymentSecrets(env);
  const engine = await EnginePool.start({
    engine: { cacheDir: env.modelCacheDir, tierModels: env.tierModels },
    workers: options.engine.workers,
    maxQueue: options.engine.maxQueue,
  });
  const runner = createRemovalRunner(engine, env.remoteProviders);
  const queue = await TaskQueue.start({
    connectionString: databaseUrl,
    expireInSeconds: env.QUEUE_EXPIRE_SECONDS,
    shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
    logger,
  });
  const now = options.now ?? (() => new Date());
  const callbacks = new CallbackGuard(env.callbackPolicy, options.resolve);
  const callbackSender = new CallbackSender(callbacks);
  const apps = new LumikuApps(env.lumikuApps);
  const storage = createStorage(env.storage);
  return {
    database,
    databaseUrl,
    embedded,
    secrets,
    logger,
    queue,
    storage,
    signer: new UrlSigner(secrets.urlSigning, FILES_ROUTE),
    engine,
    runner,
    apps,
    sealer: new AuthorizationSealer(secrets.sealing),
    callbacks,
    callbackSender,
    paymentProvider:
      env.PAYMENT_PROVIDER === "invoice"
        ? new InvoiceGatewayProvider({
            baseUrl: env.INVOICE_GATEWAY_URL!,
            apiKey: env.INVOICE_GATEWAY_API_KEY!,
            callbackSecret: env.INVOICE_GATEWAY_CALLBACK_SECRET!,
          })
        : new ManualPaymentProvider(env.PAYMENT_WEBHOOK_SECRET ?? null),
    settlement: new RemovalSettlementService({ db: database.db, queue, now, quotaTimeZone: env.QUOTA_TIMEZONE }),
    now,
    async close() {
      await queue.stop();
      await apps.close();
      await callbackSender.close();
      if (runner instanceof ProviderRouter) await runner.close();
      await engine.close();
      storage.close();
      await closeDatabase();
    },
  };
}
