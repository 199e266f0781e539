// Starts Background Remover Pro the way a deployment does — its own process, configured only
// through the environment — so the example talks to it over HTTP like any other Lumiku app.
import { execFile, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const SERVER_DIR = path.join(REPO_ROOT, "apps/server");
// tsx as a loader in one node process (its CLI would add a second process to keep track of).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const run = promisify(execFile);

export interface ServerProcess {
  url: string;
  /** The last lines the server logged, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  // Nothing of the test runner's own database settings leaks in: the server gets exactly `env` on top of the basics.
  const { DATABASE_URL: _db, TEST_DATABASE_URL: _test, NODE_OPTIONS: _opts, ...inherited } = process.env;
  return { ...inherited, ...env };
}

/** `tsx apps/server/src/main.ts` with `env` (PORT=0 picks a free port); resolves once it logs its address. */
export async function startServerProcess(env: Record<string, string>, readyTimeoutMs = 150_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--conditions=@bgr/source", "--import", TSX_LOADER, path.join(SERVER_DIR, "src/main.ts")], {
    cwd: SERVER_DIR,
    env: childEnv({ HOST: "127.0.0.1", PORT: "0", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const remember = (line: string) => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
  };
  // Should the test runner die without afterAll, the server must not outlive it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exited.then(() => process.off("exit", killOnExit));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM"); // main.ts closes the server, the queue and the engine on SIGTERM
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The server did not report its address within ${readyTimeoutMs} ms.`)),
        readyTimeoutMs,
      );
      let buffered = "";
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          remember(line);
          // Fastify's pino line: {"level":30,…,"msg":"Server listening at http://127.0.0.1:41234"}
          const address = /Server listening at (http:\/\/[^\s"]+)/.exec(line)?.[1];
          if (address) {
            clearTimeout(timer);
            resolve(address);
          }
        }
      });
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => chunk.split("\n").filter(Boolean).forEach(remember));
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`The server exited before listening (code ${code}, signal ${signal}).`));
      });
      child.once("error", reject);
    });
    return { url, logs: () => lines.join("\n"), stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${lines.join("\n")}`, { cause: error });
  }
}

/** `pnpm admin …` (apps/server/src/admin.ts) against the same database; returns its stdout. */
export async function admin(env: Record<string, string>, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(
      process.execPath,
      ["--conditions=@bgr/source", "--import", TSX_LOADER, path.join(SERVER_DIR, "src/admin.ts"), ...args],
      {
        cwd: SERVER_DIR,
        env: childEnv(env),
        timeout: 60_000,
      },
    );
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`admin ${args.join(" ")} failed: ${stderr || stdout || (error as Error).message}`, { cause: error });
  }
}
