import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { issueAccessToken } from "@bgr/core";
import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import type { FastifyInstance } from "fastify";
import { API_PREFIX } from "@bgr/domain";
import { buildServer } from "../src/app.ts";
import { createRuntime, type Runtime, type RuntimeOverrides } from "../src/compose.ts";
import { readEnv } from "../src/env.ts";
import { evalData } from "@bgr/testing";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
export const DEV_DATA = evalData("dev");
const JWT_SECRET = "test-secret-for-the-service-tests";
const FILE_LINK_SECRET = "test-file-link-secret-of-this-deployment";

/** A real server on a random port, over a fresh database on the real PostgreSQL. */
export interface TestServer {
  url: string;
  /** The environment the server runs with (a worker process sharing it needs the same). */
  env: Record<string, string>;
  api: string;
  database: TestDatabase;
  runtime: Runtime;
  token(userId: string, role?: "user" | "admin"): Promise<string>;
  /** Creates (or tops up) an account with `credits` and returns its token. */
  userWithCredits(userId: string, credits: number): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(
  overrides: Record<string, string> = {},
  database?: TestDatabase,
  runtimeOverrides: RuntimeOverrides = {},
): Promise<TestServer> {
  const db = database ?? (await createTestDatabase());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "bgr-server-"));
  const raw = {
    DATABASE_URL: db.url,
    JWT_SECRET,
    FILE_LINK_SECRET,
    DATA_DIR: dataDir,
    MODEL_CACHE_DIR: path.join(REPO_ROOT, "data/models"),
    REMOVAL_WORKERS: "1",
    REMOVAL_QUEUE_LIMIT: "64",
    SINGLE_RATE_LIMIT_PER_MINUTE: "1000",
    // The queue's one line per job stays out of the test output unless asked for.
    LOG_LEVEL: process.env.TEST_LOG === "1" ? "info" : "warn",
    ...overrides,
  };
  const env = readEnv(raw);
  const tokenClaims = { issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE };
  const runtime = await createRuntime(env, runtimeOverrides);
  const app: FastifyInstance = await buildServer(runtime.deps, {
    logger: process.env.TEST_LOG === "1",
    timeouts: { headersSeconds: env.HTTP_HEADERS_TIMEOUT_SECONDS, requestSeconds: env.HTTP_REQUEST_TIMEOUT_SECONDS },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    env: raw,
    api: `${url}${API_PREFIX}`,
    database: db,
    runtime,
    token: (userId, role = "user") => issueAccessToken(userId, role, JWT_SECRET, undefined, tokenClaims),
    async userWithCredits(userId, credits) {
      const { users } = runtime.deps.services;
      await users.ensure(userId);
      if (credits > 0) await users.grant(userId, credits);
      return issueAccessToken(userId, "user", JWT_SECRET, undefined, tokenClaims);
    },
    async close() {
      await app.close();
      await runtime.close();
      if (!database) await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function imageForm(bytes: Uint8Array, fields: Record<string, string>, fileName = "photo.jpg"): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.set("image", new Blob([new Uint8Array(bytes)]), fileName); // a copy typed Uint8Array<ArrayBuffer>, which DOM typings (apps/web tests) need
  return form;
}

/** A callback receiver on 127.0.0.1 (start it before the server, whose CALLBACK_TRUSTED_HOSTS must name `host`). */
export interface CallbackReceiver {
  /** `127.0.0.1:<port>`. */
  host: string;
  port: number;
  received: { path: string; body: string; signature: string | undefined }[];
  /** The status of the next answers (default 200); `location` makes a redirect. */
  answer: { status: number; location?: string }[];
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: CallbackReceiver["received"] = [];
  const answer: CallbackReceiver["answer"] = [];
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    received.push({ path: request.url ?? "", body, signature: request.headers["x-bgr-signature"] as string | undefined });
    const next = answer.shift() ?? { status: 200 };
    response.writeHead(next.status, next.location ? { location: next.location } : {}).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { host: `127.0.0.1:${port}`, port, received, answer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
