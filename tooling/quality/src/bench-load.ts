/**
 * `pnpm bench:load [--users 50] [--seconds 60]`
 * The product under load, as operators run it: a server process and a worker process on a real
 * PostgreSQL (a fresh test database), and `--users` simulated users for `--seconds`, each looping
 * over a mix of single basic removals of small images, batch status polls, history lists and pricing
 * quotes, and waiting out Retry-After when the engine is full (503). A separate prober asks /health ten times a second. Prints p50/p95/p99 per route, answers by
 * status, removals per second, /health p99, server and worker RSS at start and end, and the targets
 * of issue #19: no 5xx but the documented 503 (with Retry-After), /health p99 < 100 ms, RSS flat
 * (end ≤ start + 10 %), and every ledger equal to its balance at the end.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { issueAccessToken } from "@bgr/core";
import { createTestDatabase } from "@bgr/db/testing";
import { API_PREFIX } from "@bgr/domain";
import { ENGINE_PROCESS_ENV } from "@bgr/engine";
import sharp from "sharp";
import { DEFAULT_DATA_DIR, REPO_ROOT } from "./dataset.ts";
import { percentile } from "./stats.ts";
import { inheritedEnv } from "./env.ts";

const { values } = parseArgs({ options: { users: { type: "string", default: "50" }, seconds: { type: "string", default: "60" } } });
const USERS = Number(values.users);
const SECONDS = Number(values.seconds);
const JWT_SECRET = "bench-load-jwt-secret-0123456789";

/** What one simulated user does next, by weight: mostly reads, some removals. */
const MIX = [
  { route: "POST /remove (basic, 0.1 MP)", weight: 1 },
  { route: "GET /batch/:id", weight: 3 },
  { route: "GET /jobs", weight: 3 },
  { route: "POST /pricing/calculate", weight: 3 },
] as const;
type Route = (typeof MIX)[number]["route"];

const database = await createTestDatabase();
const port = await freePort();
const env = {
  ...inheritedEnv(),
  ...ENGINE_PROCESS_ENV,
  NODE_ENV: "production",
  DATABASE_URL: database.url,
  JWT_SECRET,
  FILE_LINK_SECRET: "bench-load-file-link-secret-0123",
  DATA_DIR: path.join(os.tmpdir(), `bgr-load-${process.pid}`),
  MODEL_CACHE_DIR: path.join(REPO_ROOT, "data/models"),
  PORT: String(port),
  HOST: "127.0.0.1",
  RUN_WORKER: "false",
  SINGLE_RATE_LIMIT_PER_MINUTE: "100000",
  BATCH_RATE_LIMIT_PER_HOUR: "100000",
};
const base = `http://127.0.0.1:${port}`;
const api = `${base}${API_PREFIX}`;
const server = start("apps/server", env);
const worker = start("apps/worker", { ...env, WORKER_CONCURRENCY: "1", WORKER_ID: "load-worker" });
try {
  await until(async () => (await fetch(`${base}/health/ready`).catch(() => null))?.ok === true, "the server to be ready");
  const photo = await sharp(await readFile(path.join(DEFAULT_DATA_DIR, "gc-teddy.jpg")))
    .resize(320)
    .jpeg()
    .toBuffer();
  const admin = await issueAccessToken("load-admin", "admin", JWT_SECRET);
  const users = await Promise.all(Array.from({ length: USERS }, (_, i) => prepareUser(`load-${i}`, admin, photo)));
  await sleep(3000); // the batches' first items start; RSS "at start" is the server warm and working
  const rssStart = { server: await rssMb(server.pid!), worker: await rssMb(worker.pid!) };

  const latencies = new Map<string, number[]>();
  const statuses = new Map<string, number>();
  let removals = 0;
  let missingRetryAfter = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const record = (route: string, ms: number, status: number) => {
    const list = latencies.get(route) ?? [];
    list.push(ms);
    latencies.set(route, list);
    statuses.set(`${status}`, (statuses.get(`${status}`) ?? 0) + 1);
  };
  const health = (async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      const answer = await fetch(`${base}/health`).catch(() => null);
      record("GET /health", performance.now() - started, answer?.status ?? 0);
      await sleep(100);
    }
  })();
  await Promise.all(
    users.map(async (user) => {
      while (Date.now() < deadline) {
        const route = pick();
        const started = performance.now();
        const answer = await act(route, user, photo).catch(() => null);
        const status = answer?.status ?? 0;
        record(route, performance.now() - started, status);
        if (route.startsWith("POST /remove") && status === 200) removals += 1;
        await answer?.arrayBuffer().catch(() => undefined);
        if (status === 503) {
          // Back-pressure: a well-behaved client waits as long as Retry-After says.
          const wait = Number(answer?.headers.get("retry-after"));
          if (!wait) missingRetryAfter += 1;
          await sleep(Math.min((wait || 1) * 1000, Math.max(0, deadline - Date.now())));
        }
      }
    }),
  );
  await health;
  const rssEnd = { server: await rssMb(server.pid!), worker: await rssMb(worker.pid!) };
  const ledger = await database.sql`
    select count(*)::int as mismatched from users u
    where u.credit_balance <> coalesce((select sum(delta) from credit_ledger l where l.user_id = u.id), 0)`;

  console.log(
    `Load benchmark: ${USERS} users for ${SECONDS} s against one server and one worker process on ${os.cpus().length} cores (PostgreSQL)\n`,
  );
  console.log("| route | requests | p50 | p95 | p99 |\n|---|---:|---:|---:|---:|");
  for (const [route, list] of [...latencies].sort()) {
    console.log(`| ${route} | ${list.length} | ${ms(percentile(list, 50))} | ${ms(percentile(list, 95))} | ${ms(percentile(list, 99))} |`);
  }
  console.log(
    `\nanswers by status: ${[...statuses]
      .sort()
      .map(([status, count]) => `${status === "0" ? "no answer" : status} × ${count}`)
      .join(", ")}`,
  );
  console.log(`removals completed: ${removals} (${(removals / SECONDS).toFixed(2)} per second)`);
  console.log(
    `RSS server ${rssStart.server.toFixed(0)} → ${rssEnd.server.toFixed(0)} MB, worker ${rssStart.worker.toFixed(0)} → ${rssEnd.worker.toFixed(0)} MB\n`,
  );
  const fiveHundreds = [...statuses].filter(([status]) => Number(status) >= 500 && status !== "503").reduce((sum, [, n]) => sum + n, 0);
  const healthP99 = percentile(latencies.get("GET /health") ?? [], 99);
  const targets: [string, string, string, boolean][] = [
    ["5xx other than 503", `${fiveHundreds}`, "0", fiveHundreds === 0],
    ["503 without Retry-After", `${missingRetryAfter}`, "0", missingRetryAfter === 0],
    ["/health p99", ms(healthP99), "< 100 ms", healthP99 < 100],
    ["server RSS end / start", `${(rssEnd.server / rssStart.server).toFixed(2)}`, "<= 1.10", rssEnd.server <= rssStart.server * 1.1],
    ["worker RSS end / start", `${(rssEnd.worker / rssStart.worker).toFixed(2)}`, "<= 1.10", rssEnd.worker <= rssStart.worker * 1.1],
    ["users whose ledger differs from their balance", `${ledger[0]!.mismatched}`, "0", ledger[0]!.mismatched === 0],
  ];
  console.log("| target | measured | wanted | |\n|---|---:|---:|---|");
  for (const [what, measured, wanted, met] of targets) console.log(`| ${what} | ${measured} | ${wanted} | ${met ? "✓" : "✗"} |`);
} finally {
  for (const child of [worker, server]) child.kill("SIGTERM");
  await Promise.all(
    [worker, server].map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))),
  );
  await database.close();
}

interface LoadUser {
  token: string;
  batchId: string;
}

/** A user with credits (granted through the admin API) and a small batch to poll. */
async function prepareUser(userId: string, admin: string, photo: Buffer): Promise<LoadUser> {
  const token = await issueAccessToken(userId, "user", JWT_SECRET);
  await fetch(`${api}/me`, { headers: { authorization: `Bearer ${token}` } }); // the account exists from its first request
  const granted = await fetch(`${api}/admin/users/${userId}/credits`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    body: JSON.stringify({ amount: 100_000, reason: "load benchmark" }),
  });
  if (!granted.ok) throw new Error(`granting credits to ${userId} answered ${granted.status}`);
  const form = new FormData();
  form.set("tier", "basic");
  for (const name of ["a.jpg", "b.jpg"]) form.append("images", new Blob([new Uint8Array(photo)]), name);
  const batch = await fetch(`${api}/batch`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  if (batch.status !== 201) throw new Error(`creating ${userId}'s batch answered ${batch.status}`);
  return { token, batchId: ((await batch.json()) as { data: { batchId: string } }).data.batchId };
}

function act(route: Route, user: LoadUser, photo: Buffer): Promise<Response> {
  const headers = { authorization: `Bearer ${user.token}` };
  switch (route) {
    case "POST /remove (basic, 0.1 MP)": {
      const form = new FormData();
      form.set("tier", "basic");
      form.set("image", new Blob([new Uint8Array(photo)]), "load.jpg");
      return fetch(`${api}/remove`, { method: "POST", headers, body: form });
    }
    case "GET /batch/:id":
      return fetch(`${api}/batch/${user.batchId}`, { headers });
    case "GET /jobs":
      return fetch(`${api}/jobs?page=1&pageSize=10`, { headers });
    case "POST /pricing/calculate":
      return fetch(`${api}/pricing/calculate`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ tier: "standard", imageCount: 1 + Math.floor(Math.random() * 500) }),
      });
  }
}

function pick(): Route {
  const total = MIX.reduce((sum, entry) => sum + entry.weight, 0);
  let roll = Math.random() * total;
  for (const entry of MIX) {
    roll -= entry.weight;
    if (roll < 0) return entry.route;
  }
  return MIX[0].route;
}

function start(dir: string, childEnv: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--conditions=@bgr/source", "--import", "tsx", "src/main.ts"], {
    cwd: path.join(REPO_ROOT, dir),
    env: childEnv,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 180_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}
