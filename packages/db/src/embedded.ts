import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { startWireServer, type WireServer } from "./embedded/wire-server.ts";

export interface EmbeddedPostgresOptions {
  /** Where PGlite keeps the cluster; created if missing, reused (with its data) if present. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 (the default) lets the OS pick a free one — read it from `url`. */
  port?: number;
  /**
   * Transactions run one at a time here. Once a transaction's connection has been idle this long
   * while other connections wait, their queries fail (SQLSTATE 55P03) instead of waiting forever
   * — the symptom of a transaction that waits for a query on another connection. Default 30 000.
   */
  transactionWaitTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` — for postgres.js, node-postgres, pg-boss, psql. */
  url: string;
  port: number;
  /** Closes client connections, the listener and PGlite (flushing it to `dataDir`). */
  stop(): Promise<void>;
}

/**
 * Zero-config PostgreSQL for development: PGlite (PostgreSQL compiled to WASM, in this process)
 * persisted in `dataDir`, served over TCP so the normal drivers connect with a normal URL.
 *
 * Several connections (pools, other processes) work, but they share one backend session and
 * transactions run one at a time — see `embedded/wire-server.ts` for exactly what that implies.
 * Only one process may open a `dataDir`; others connect to the URL it serves.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireLock(dataDir);
  try {
    // Loaded on demand: PGlite is only needed by the process that hosts the embedded database.
    const { PGlite } = await import("@electric-sql/pglite");
    const pglite = await PGlite.create({ dataDir });
    const port = options.port ?? 0;
    let server: WireServer;
    try {
      server = await startWireServer(pglite, {
        host: "127.0.0.1",
        port,
        transactionWaitTimeoutMs: options.transactionWaitTimeoutMs ?? 30_000,
      });
    } catch (error) {
      await pglite.close();
      if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
        throw new Error(
          `Embedded PostgreSQL cannot listen on 127.0.0.1:${port}: the port is in use. ` + "Choose another port, or 0 for any free one.",
          { cause: error },
        );
      }
      throw error;
    }
    const url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    lock.record(url);
    let stopped: Promise<void> | undefined;
    return {
      url,
      port: server.port,
      stop: () =>
        (stopped ??= (async () => {
          try {
            await server.close();
            await pglite.close();
          } finally {
            lock.release();
          }
        })()),
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * The URL of the embedded PostgreSQL another live process serves from `dataDir`, or null: lets tools
 * (the admin CLI, a separate worker) join a running server instead of opening the data twice.
 */
export function runningEmbeddedUrl(dataDir: string): string | null {
  const holder = readLock(lockPath(resolve(dataDir)));
  return holder?.url && isAlive(holder.pid) ? holder.url : null;
}

function lockPath(dataDir: string): string {
  return `${dataDir}.lock`;
}

/**
 * PGlite does not lock its data directory, and two processes writing one cluster corrupt it;
 * `<dataDir>.lock` (beside it: PGlite wants the directory to itself) holds the owner's pid and URL.
 */
function acquireLock(dataDir: string) {
  const path = lockPath(dataDir);
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid }), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const holder = readLock(path);
      if (holder && isAlive(holder.pid)) {
        throw new Error(
          `Embedded PostgreSQL data directory ${dataDir} is already open in process ${holder.pid}` +
            (holder.url ? ` (serving ${holder.url})` : "") +
            `. Connect to that URL instead of starting a second server, or stop that process. ` +
            `If no such process exists, delete ${path}.`,
          { cause: error },
        );
      }
      rmSync(path, { force: true }); // left behind by a process that died
    }
  }
  return {
    record(url: string) {
      writeFileSync(path, JSON.stringify({ pid: process.pid, url }));
    },
    release() {
      const holder = readLock(path);
      if (holder?.pid === process.pid) rmSync(path, { force: true });
    },
  };
}

function readLock(path: string): { pid: number; url?: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown; url?: unknown };
    if (typeof parsed.pid !== "number") return null;
    return { pid: parsed.pid, ...(typeof parsed.url === "string" ? { url: parsed.url } : {}) };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
