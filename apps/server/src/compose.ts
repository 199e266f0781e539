import path from "node:path";
import {
  AccountsService,
  AdminService,
  ApiKeyService,
  Authenticator,
  BatchService,
  IdempotencyStore,
  IntegrationService,
  type RemovalSettlementService,
  RemovalHistoryService,
  NotificationService,
  OutboxMailer,
  SmtpMailer,
  PaymentsService,
  OperationalCounts,
  RemovalService,
  ResultEditorService,
  RetentionService,
  SubscriptionService,
  TierCatalog,
  UsersService,
} from "@bgr/core";
import type { DatabaseHandle } from "@bgr/db";
import { PublicImageFetcher, type Resolver } from "@bgr/integrations";
import { activeRemoteTiers } from "@bgr/providers";
import { createInfrastructure, startNotifications, startWorkerProcess } from "@bgr/runtime";
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
  /** How single and pipeline jobs end (tests replay a settlement to prove it happens once). */
  settlement: RemovalSettlementService;
  close(): Promise<void>;
}

/** Test seams; production passes none. */
export interface RuntimeOverrides {
  /** The clock every service reads (quota day, expiry, rate limits, links). */
  now?: () => Date;
  /** The DNS the callback guard asks, at submission and at connect (tests make answers change in between). */
  resolve?: Resolver;
}

/** The server's services, composed over the process's infrastructure (createInfrastructure makes the singletons). */
export async function createRuntime(env: ServerEnv, overrides: RuntimeOverrides = {}): Promise<Runtime> {
  const infra = await createInfrastructure(env, {
    applicationName: "bgr-server",
    embedded: { mode: "start", port: env.EMBEDDED_DB_PORT },
    engine: { workers: env.REMOVAL_WORKERS, maxQueue: env.REMOVAL_QUEUE_LIMIT },
    ...overrides,
  });
  const { database, queue, storage, signer, now, settlement, callbacks, secrets, paymentProvider } = infra;
  const db = database.db;
  const jwtSecret = secrets.jwtSecret;
  const tokenClaims = { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
  const imageUrls = new PublicImageFetcher({ privateHosts: env.IMAGE_URL_PRIVATE_HOSTS });
  const batches = new BatchService({
    db,
    queue,
    storage,
    signer,
    now,
    batchRateLimit: { limit: env.BATCH_RATE_LIMIT_PER_HOUR, windowSeconds: 3600 },
    expectedParallelism: env.WORKER_CONCURRENCY,
    callbacks,
  });
  // The embedded default is one process: it runs the same worker a worker daemon runs.
  if (env.RUN_WORKER ?? infra.embedded) {
    await startWorkerProcess(infra, {
      itemConcurrency: env.WORKER_CONCURRENCY,
      workerId: `server:${process.pid}`,
      retention: env.retention,
      graceDays: env.SUBSCRIPTION_GRACE_DAYS,
    });
  }
  const users = new UsersService(db);
  const apiKeys = new ApiKeyService(db, now);
  const removal = new RemovalService({
    db,
    runner: infra.runner,
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
  const payments = new PaymentsService({
    db,
    queue,
    provider: paymentProvider,
    now,
    pendingHours: env.PAYMENT_PENDING_HOURS,
    timeZone: env.QUOTA_TIMEZONE,
  });
  // SMTP when configured; otherwise the dev outbox, which tests read through deps.outbox.
  const outbox = env.SMTP_HOST ? null : new OutboxMailer((line) => process.stdout.write(`${line}\n`));
  const smtp = env.SMTP_HOST
    ? new SmtpMailer({
        host: env.SMTP_HOST,
        port: env.SMTP_PORT,
        user: env.SMTP_USER,
        pass: env.SMTP_PASS,
        from: env.SMTP_FROM ?? env.SMTP_USER ?? `no-reply@${env.SMTP_HOST}`,
      })
    : null;
  const mailer = smtp ?? outbox!;
  const appUrl = env.APP_URL ?? `http://${env.HOST}:${env.PORT}`;
  const accounts = new AccountsService({ db, mailer, now, signupMode: env.SIGNUP_MODE, csrfSecret: secrets.csrf, appUrl });
  const notifications = new NotificationService({ db, mailer, now, appUrl, timeZone: env.QUOTA_TIMEZONE });
  await startNotifications(infra, notifications);
  const deps: ServerDeps = {
    authenticator: new Authenticator(users, apiKeys, jwtSecret, tokenClaims, accounts),
    outbox,
    cookieSecure: env.COOKIE_SECURE,
    storage,
    signer,
    now,
    stagingDir,
    idempotency: new IdempotencyStore(db, now),
    metrics: {
      registry: new ServerMetrics({ counts: new OperationalCounts(db), queueDepths: () => queue.depths() }),
      token: env.METRICS_TOKEN ?? null,
    },
    readiness: { database: () => database.sql`select 1`, queue: () => queue.ping() },
    imageUrls,
    devSignIn: env.BGR_MODE === "development" ? createDevSignIn(users, jwtSecret, tokenClaims) : null,
    services: {
      users,
      apiKeys,
      jobs: new RemovalHistoryService(db, signer, now, storage),
      batches,
      removal,
      payments,
      accounts,
      admin: new AdminService({ db, users, payments }),
      subscriptions: new SubscriptionService({ db, queue, provider: paymentProvider, now, quotaTimeZone: env.QUOTA_TIMEZONE }),
      integrations: new IntegrationService({ apps: infra.apps, batches, removal, sealer: infra.sealer, stagingDir, callbacks }),
      notifications,
      editor: new ResultEditorService({ db, storage, composer: infra.engine, now }),
      retention: new RetentionService({ db, storage, policy: env.retention }),
      tiers: new TierCatalog({
        localModels: infra.engine.tierModels,
        remote: Object.fromEntries(
          activeRemoteTiers(env.remoteProviders).map(([tier, provider]) => [tier, `${provider}:${env.remoteProviders[provider].model}`]),
        ),
      }),
    },
  };
  return {
    deps,
    database,
    databaseUrl: infra.databaseUrl,
    embedded: infra.embedded,
    jwtSecret,
    settlement,
    async close() {
      await infra.close(); // stops the queue first, so no handler is left holding the mailer
      smtp?.close();
      await imageUrls.close();
    },
  };
}
