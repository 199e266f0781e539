// What the Docker image runs, without docker: `pnpm build`, then tooling/docker/assemble-runtime.sh
// (the Dockerfile's build step: pnpm deploy --prod, the web app, the models) into a temporary
// directory, and the compiled server and worker started from it with plain node — no tsx there, no
// workspace sources, nothing but the deployed copy.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { issueAccessToken, UsersService } from "@bgr/core";
import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import { API_PREFIX } from "@bgr/domain";
import { ENGINE_PROCESS_ENV } from "@bgr/engine";
import { evalData } from "@bgr/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const JWT_SECRET = "deployment-test-platform-secret";
const run = promisify(execFile);

let out: string;
let database: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), "bgr-image-"));
  // turbo replays what is already built; the script is what the Dockerfile runs.
  await run(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@bgr/server", "--filter=@bgr/worker", "--filter=@bgr/web", "--output-logs=errors-only"],
    { cwd: REPO_ROOT, timeout: 900_000 },
  );
  await run("tooling/docker/assemble-runtime.sh", [out], { cwd: REPO_ROOT, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
  database = await createTestDatabase();
}, 1_500_000);

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await database?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

/** The image's environment (Dockerfile ENV) plus a database; nothing of the test runner's own. */
function imageEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...ENGINE_PROCESS_ENV,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: path.join(out, "data"),
    MODEL_CACHE_DIR: path.join(out, "models"),
    DATABASE_URL: database.url,
    JWT_SECRET,
    FILE_LINK_SECRET: "deployment-test-file-link-secret",
    REMOVAL_WORKERS: "1",
    WORKER_CONCURRENCY: "1",
    ...extra,
  };
}

/** Starts `node <entry>` in the deployed layout; resolves with the first stdout line `ready` matches. */
function start(entry: string, ready: RegExp): Promise<RegExpExecArray> {
  const child = spawn(process.execPath, [entry], { cwd: out, env: imageEnv(), stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} was not ready within 240 s:\n${output.join("")}`)), 240_000);
    const watch = (chunk: string) => {
      output.push(chunk);
      const match = ready.exec(output.join(""));
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.setEncoding("utf8").on("data", watch);
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${output.join("")}`));
    });
  });
}

describe("the runtime image's contents", () => {
  it("hold no TypeScript runner, no test tools and no model source package, and hold the assembled models", () => {
    for (const app of ["apps/server", "apps/worker"]) {
      const store = readdirSync(path.join(out, app, "node_modules/.pnpm"));
      // (typescript itself is there: @trpc/server names it as a peer dependency, for its types.)
      expect(store.filter((name) => /^(tsx|vitest|vite|@imgly\+background-removal-node)@|^onnxruntime-node@1\.17\./.test(name))).toEqual(
        [],
      );
      expect(existsSync(path.join(out, app, "dist/main.js"))).toBe(true);
    }
    expect(readdirSync(path.join(out, "models")).some((name) => name.endsWith(".onnx"))).toBe(true);
  });

  it("serve /health/ready, the web app and a removal from the compiled server (engine threads run dist's worker)", async () => {
    const [, url] = await start("apps/server/dist/main.js", /Server listening at (http:\/\/[^\s"]+)/);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<div id="root"');

    const users = new UsersService(database.db);
    await users.ensure("deployed");
    await users.grant("deployed", 10);
    const form = new FormData();
    form.set("tier", "basic");
    form.set("image", new Blob([await readFile(path.join(evalData("dev"), "gc-teddy.jpg"))]), "teddy.jpg");
    const removed = await fetch(`${url}${API_PREFIX}/remove`, {
      method: "POST",
      headers: { authorization: `Bearer ${await issueAccessToken("deployed", "user", JWT_SECRET)}` },
      body: form,
    });
    expect(removed.status, await removed.clone().text()).toBe(200);
  });

  it("start the compiled worker", async () => {
    const [line] = await start("apps/worker/dist/main.js", /"msg":"worker [^"]*: 1 item\(s\) at a time[^"]*"/);
    expect(line).toContain("1 item(s) at a time");
  });
});
