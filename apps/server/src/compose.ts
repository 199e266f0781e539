import path from "node:path";
import {
  AccountsService,
  AdminService,
  ApiKeyService,
  AuthorizationSealer,
  Authenticator,
  BatchService,
  CallbackGuard,
  CallbackSender,
  deploymentSecrets,
  IdempotencyStore,
  IntegrationService,
  JobQueue,
  JobSettlement,
  JobsService,
  LocalStorage,
  NotificationService,
  OutboxMailer,
  SmtpMailer,
  InvoiceGatewayProvider,
  ManualPaymentProvider,
  PaymentsService,
  OperationalCounts,
  RemovalService,
  RetentionService,
  SubscriptionMaintenance,
  SubscriptionService,
  TierCatalog,
  UrlSigner,
  UsersService,
} from "@bgr/core";
import { LumikuApps, PublicImageFetcher, type Resolver } from "@bgr/integrations";
import { activeRemoteTiers, createRemovalRunner, ProviderRouter } from "@bgr/providers";
import { startMaintenance, startNotifications, startWorkers } from "@bgr/worker";
import { createDatabase, migrateDatabase, startEmbeddedPostgres, type DatabaseHandle } from "@bgr/db";
import { EnginePool } from "@bgr/engine";
import { API_PREFIX } from "./app.ts";
import type { ServerDeps } from "./deps.ts";
import { ServerMetrics } from "./metrics.ts";
import { createDevSignIn } from "./dev-sign-in.ts";
import type { ServerEnv } from "./env.ts";

export interface Runtime {
  deps: ServerDeps;
  database: DatabaseHandle;
  /** The embedded database's URL when no DATABASE_URL was given. */
  databaseUrl: string;
  embedded: boolean;
  jwtSecret: string;
  /** expireDue/renewDue, for whatever schedules them in this process. */
  subscriptionMaintenance: SubscriptionMaintenance;
  /** How single and pipeline jobs end (tests replay a settlement to prove it happens once). */
  settlement: JobSettlement;
  close(): Promise<void>;
}

/** Test seams; production passes none. */
export interface RuntimeOverrides {
  /** The clock every service reads (quota day, expiry, rate limits, links). */
  now?: () => Date;
  /** The DNS the callback guard asks, at submission and at connect (tests make answers change in between). */
  resolve?: Resolver;
}

/** The composition root: the only place singletons (database pool, engine pool, storage) are created. */
export async function createRuntime(env: ServerEnv, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(env.DATA_DIR, "postgres"), port: env.EMBEDDED_DB_PORT });
  const databaseUrl = env.DATABASE_URL ?? embedded!.url;
  const database = createDatabase(databaseUrl, { applicationName: "bgr-server" });
  await migrateDatabase(database.db);
  const secrets = await deploymentSecrets(env);
  const jwtSecret = secrets.jwtSecret;
  const tokenClaims = { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
  const engine = await EnginePool.start({ engine: { cacheDir: env.modelCacheDir, tierModels: env.tierModels }, workers: env.REMOVAL_WORKERS, maxQueue: env.REMOVAL_QUEUE_LIMIT });
  const runner = createRemovalRunner(engine, env.remoteProviders);
  const apps = new LumikuApps(env.lumikuApps);
  const imageUrls = new PublicImageFetcher({ privateHosts: env.imageUrlPrivateHosts });

  const now = overrides.now ?? (() => new Date());
  const storage = new LocalStorage(env.storageDir);
  const signer = new UrlSigner(secrets.urlSigning, `${API_PREFIX}/files`);
  const queue = await JobQueue.start({ connectionString: databaseUrl, expireInSeconds: env.QUEUE_EXPIRE_SECONDS });
  const settlement = new JobSettlement({ db: database.db, queue, now, quotaTimeZone: env.QUOTA_TIMEZONE });
  const sealer = new AuthorizationSealer(secrets.sealing);
  const callbacks = new CallbackGuard(env.callbackPolicy, overrides.resolve);
  const callbackSender = new CallbackSender(callbacks);
  const batches = new BatchService({
    db: database.db,
    queue,
    storage,
    signer,
    now,
    batchRateLimit: { limit: env.BATCH_RATE_LIMIT_PER_HOUR, windowSeconds: 3600 },
    expectedParallelism: env.WORKER_CONCURRENCY,
    callbacks,
  });
  const runWorker = env.RUN_WORKER ?? embedded !== null;
  if (runWorker) {
    const workerDeps = { db: database.db, queue, runner, storage, signer, now, settlement, apps, sealer, callbackSecret: secrets.callbacks, callbackSender, workerId: `server:${process.pid}`, retention: env.retention };
    await startWorkers(workerDeps, { itemConcurrency: env.WORKER_CONCURRENCY });
  }
  const users = new UsersService(database.db);
  const apiKeys = new ApiKeyService(database.db, now);
  const removal = new RemovalService({
    db: database.db,
    runner,
    queue,
    settlement,
    storage,
    signer,
    now,
    singleRateLimit: { limit: env.SINGLE_RATE_LIMIT_PER_MINUTE, windowSeconds: 60 },
    quotaTimeZone: env.QUOTA_TIMEZONE,
    callbacks,
  });
  const stagingDir = path.join(env.DATA_DIR, "uploads");
  // The one place the payment gateway is chosen; a real one (Midtrans, Xendit, Stripe) is another PaymentProvider.
  const paymentProvider =
    env.PAYMENT_PROVIDER === "invoice"
      ? new InvoiceGatewayProvider({ baseUrl: env.INVOICE_GATEWAY_URL!, apiKey: env.INVOICE_GATEWAY_API_KEY!, callbackSecret: env.INVOICE_GATEWAY_CALLBACK_SECRET! })
      : new ManualPaymentProvider(env.PAYMENT_WEBHOOK_SECRET ?? null);
  const payments = new PaymentsService({ db: database.db, provider: paymentProvider, now, pendingHours: env.PAYMENT_PENDING_HOURS });
  const subscriptionMaintenance = new SubscriptionMaintenance({ db: database.db, provider: paymentProvider, graceDays: env.SUBSCRIPTION_GRACE_DAYS });
  await startMaintenance(queue, subscriptionMaintenance, now);
  // SMTP when configured; otherwise the dev outbox, which tests read through deps.outbox.
  const outbox = env.SMTP_HOST ? null : new OutboxMailer((line) => console.info(line));
  const smtp = env.SMTP_HOST
    ? new SmtpMailer({ host: env.SMTP_HOST, port: env.SMTP_PORT, user: env.SMTP_USER, pass: env.SMTP_PASS, from: env.SMTP_FROM ?? env.SMTP_USER ?? `no-reply@${env.SMTP_HOST}` })
    : null;
  const mailer = smtp ?? outbox!;
  const appUrl = env.APP_URL ?? `http://${env.HOST}:${env.PORT}`;
  const accounts = new AccountsService({ db: database.db, mailer, now, signupMode: env.SIGNUP_MODE, csrfSecret: secrets.csrf, appUrl });
  const notifications = new NotificationService({ db: database.db, mailer, now, appUrl });
  await startNotifications(queue, notifications);
  const deps: ServerDeps = {
    authenticator: new Authenticator(users, apiKeys, jwtSecret, tokenClaims, accounts),
    outbox,
    cookieSecure: env.COOKIE_SECURE,
    storage,
    signer,
    now,
    stagingDir,
    idempotency: new IdempotencyStore(database.db, now),
    metrics: { registry: new ServerMetrics({ counts: new OperationalCounts(database.db), queueDepths: () => queue.depths() }), token: env.METRICS_TOKEN ?? null },
    readiness: { database: () => database.sql`select 1`, queue: () => queue.ping() },
    imageUrls,
    devSignIn: embedded !== null || env.DEV_SIGN_IN ? createDevSignIn(users, jwtSecret, tokenClaims) : null,
    services: {
      users,
      apiKeys,
      jobs: new JobsService(database.db, signer, now, storage),
      batches,
      removal,
      payments,
      accounts,
      admin: new AdminService({ db: database.db, users, payments }),
      subscriptions: new SubscriptionService({ db: database.db, provider: paymentProvider, now, quotaTimeZone: env.QUOTA_TIMEZONE }),
      integrations: new IntegrationService({ apps, batches, removal, sealer, stagingDir, callbacks }),
      notifications,
      retention: new RetentionService({ db: database.db, storage, policy: env.retention }),
      tiers: new TierCatalog({
        localModels: engine.tierModels,
        remote: Object.fromEntries(activeRemoteTiers(env.remoteProviders).map(([tier, provider]) => [tier, `${provider}:${env.remoteProviders[provider].model}`])),
      }),
    },
  };
  return {
    deps,
    database,
    databaseUrl,
    embedded: embedded !== null,
    jwtSecret,
    subscriptionMaintenance,
    settlement,
    async close() {
      await queue.stop();
      smtp?.close();
      await apps.close();
      await callbackSender.close();
      await imageUrls.close();
      if (runner instanceof ProviderRouter) await runner.close();
      await engine.close();
      await database.close();
      await embedded?.stop();
    },
  };
}
