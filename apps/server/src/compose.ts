import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { Authenticator, JobsService, LocalStorage, RemovalService, UrlSigner, UsersService } from "@bgr/core";
import { createDatabase, migrateDatabase, startEmbeddedPostgres, type DatabaseHandle } from "@bgr/db";
import { EnginePool } from "@bgr/engine";
import { API_PREFIX } from "./app.ts";
import type { ServerDeps } from "./deps.ts";
import type { ServerEnv } from "./env.ts";

export interface Runtime {
  deps: ServerDeps;
  database: DatabaseHandle;
  /** The embedded database's URL when no DATABASE_URL was given. */
  databaseUrl: string;
  embedded: boolean;
  jwtSecret: string;
  close(): Promise<void>;
}

/** The composition root: the only place singletons (database pool, engine pool, storage) are created. */
export async function createRuntime(env: ServerEnv): Promise<Runtime> {
  const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres({ dataDir: path.join(env.DATA_DIR, "postgres"), port: env.EMBEDDED_DB_PORT });
  const databaseUrl = env.DATABASE_URL ?? embedded!.url;
  const database = createDatabase(databaseUrl, { applicationName: "bgr-server" });
  await migrateDatabase(database.db);
  const jwtSecret = env.JWT_SECRET ?? (await developmentSecret(env.DATA_DIR));
  const engine = await EnginePool.start({ engine: { cacheDir: env.modelCacheDir }, workers: env.REMOVAL_WORKERS, maxQueue: env.REMOVAL_QUEUE_LIMIT });

  const now = () => new Date();
  const storage = new LocalStorage(env.storageDir);
  const signer = new UrlSigner(`files:${jwtSecret}`, `${API_PREFIX}/files`);
  const users = new UsersService(database.db);
  const deps: ServerDeps = {
    authenticator: new Authenticator(users, jwtSecret, now),
    storage,
    signer,
    now,
    services: {
      users,
      jobs: new JobsService(database.db, signer, now),
      removal: new RemovalService({
        db: database.db,
        runner: engine,
        storage,
        signer,
        now,
        singleRateLimit: { limit: env.SINGLE_RATE_LIMIT_PER_MINUTE, windowSeconds: 60 },
      }),
    },
  };
  return {
    deps,
    database,
    databaseUrl,
    embedded: embedded !== null,
    jwtSecret,
    async close() {
      await engine.close();
      await database.close();
      await embedded?.stop();
    },
  };
}

/** Without JWT_SECRET (embedded default only) a random secret is made once and kept under DATA_DIR. */
export async function developmentSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "dev-jwt-secret");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const secret = randomBytes(32).toString("base64url");
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}
