import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import type { PGlite } from "@electric-sql/pglite";

/**
 * A PostgreSQL wire-protocol server in front of one PGlite instance, for several clients at once.
 *
 * PGlite is a single backend session. `@electric-sql/pglite-socket` multiplexes clients onto it
 * one protocol *message* at a time, which interleaves one client's Parse/Bind/Execute/Sync with
 * another's: with a pool and concurrent transactions postgres.js fails with `portal "" does not
 * exist`, node-postgres can bind another client's statement, and one internal throw wedges its
 * queue for good (pglite issues #1046 and #985, fix PR #977 unmerged at pglite-socket 0.2.17).
 *
 * Here the unit of scheduling is a client's *exchange*: its messages up to a Sync, simple Query
 * or Flush run with nobody else's in between, and a client that leaves the backend mid-exchange
 * (after a Flush) or inside a transaction block keeps it until it is back at idle. So transactions
 * run one at a time: correct, but a transaction that waits for a query on another connection
 * would wait forever. Instead, once the transaction's client has been idle for
 * `transactionWaitTimeoutMs` while others wait, the waiting queries fail with SQLSTATE 55P03 and
 * an explanation; the transaction itself is left alone.
 *
 * Still shared between connections, because it is one session: `SET` (not `SET LOCAL`), session
 * advisory locks (re-entrant across connections), temp tables, LISTEN/NOTIFY, and the namespace
 * of *named* prepared statements (postgres.js names them randomly per connection; node-postgres
 * only names them when a query passes `name`). A departed client's named statements are closed.
 * COPY … FROM STDIN is not supported.
 */
export interface WireServerOptions {
  host: string;
  port: number;
  transactionWaitTimeoutMs: number;
}

export interface WireServer {
  port: number;
  close(): Promise<void>;
}

const PROTOCOL_V3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;

/** Frontend messages after which the client waits for the backend. */
const EXCHANGE_END = new Set(["S", "Q", "H", "F", "c", "f"]);
/** Exchange ends after which the backend is back at ReadyForQuery. */
const BACK_TO_READY = new Set(["S", "Q", "F", "c", "f"]);

interface Exchange {
  /** `cleanup` ends what a departed client left open; its messages are decided when it runs. */
  kind: "startup" | "client" | "cleanup";
  messages: Buffer[];
}

class Client {
  buffer = Buffer.alloc(0);
  started = false;
  closed = false;
  cleanupQueued = false;
  /** Messages of the exchange still being received. */
  partial: Buffer[] = [];
  ready: Exchange[] = [];
  /** Its last exchange ended with a Flush, leaving the backend mid-exchange. */
  midExchange = false;
  /** One of its exchanges was refused after a Flush: drop messages until the Sync that ends it. */
  refusedUntilSync = false;
  lastActivity = Date.now();
  readonly statements = new Set<string>();

  constructor(readonly socket: Socket) {}

  write(data: Uint8Array): void {
    if (!this.closed && this.socket.writable) this.socket.write(Buffer.from(data));
  }
}

export async function startWireServer(db: PGlite, options: WireServerOptions): Promise<WireServer> {
  /** Insertion order doubles as the round-robin order. */
  const clients = new Set<Client>();
  /** Holds the backend until it is back at idle (mid-exchange or in a transaction block). */
  let owner: Client | null = null;
  /** Whose exchange is executing right now. */
  let current: Client | null = null;
  let running = false;
  let stopping = false;
  let idle: Promise<void> = Promise.resolve();

  const server: Server = createServer((socket) => {
    const client = new Client(socket);
    clients.add(client);
    socket.setNoDelay(true);
    socket.on("data", (chunk) => {
      if (client.closed) return;
      client.lastActivity = Date.now();
      client.buffer = client.buffer.length === 0 ? chunk : Buffer.concat([client.buffer, chunk]);
      try {
        parse(client);
      } catch (error) {
        fatal(client, "08P01", (error as Error).message);
      }
    });
    socket.on("error", () => disconnect(client));
    socket.on("close", () => disconnect(client));
  });

  function parse(client: Client): void {
    while (!client.closed) {
      const buf = client.buffer;
      if (!client.started) {
        if (buf.length < 8) return;
        const length = buf.readInt32BE(0);
        const code = buf.readInt32BE(4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          client.socket.write("N"); // no encryption on a loopback dev server
          client.buffer = buf.subarray(8);
          continue;
        }
        if (code === CANCEL_REQUEST) {
          client.socket.end(); // PGlite has no backend process to signal
          return;
        }
        if (code !== PROTOCOL_V3) throw new Error(`unsupported frontend protocol ${code}`);
        if (buf.length < length) return;
        client.started = true;
        client.buffer = buf.subarray(length);
        enqueue(client, { kind: "startup", messages: [Buffer.from(buf.subarray(0, length))] });
        continue;
      }
      if (buf.length < 5) return;
      const length = 1 + buf.readInt32BE(1);
      if (buf.length < length) return;
      const message = Buffer.from(buf.subarray(0, length));
      client.buffer = buf.subarray(length);
      const type = String.fromCharCode(message[0]!);
      if (type === "X") {
        client.socket.end();
        return;
      }
      if (client.refusedUntilSync) {
        if (type === "S") {
          client.refusedUntilSync = false;
          client.write(readyForQuery());
        }
        continue;
      }
      trackStatements(client, type, message);
      client.partial.push(message);
      if (EXCHANGE_END.has(type)) {
        enqueue(client, { kind: "client", messages: client.partial });
        client.partial = [];
      }
    }
  }

  function enqueue(client: Client, exchange: Exchange): void {
    client.ready.push(exchange);
    void pump();
  }

  /** Runs exchanges one at a time until nothing runnable is left. */
  async function pump(): Promise<void> {
    if (running || stopping) return;
    running = true;
    let markIdle = () => {};
    idle = new Promise((resolve) => (markIdle = resolve));
    try {
      for (let next = pick(); next && !stopping; next = pick()) {
        current = next.client;
        await run(next.client, next.exchange);
        current = null;
        if (next.client.closed) cleanUpAfter(next.client);
      }
    } finally {
      current = null;
      running = false;
      markIdle();
    }
  }

  function pick(): { client: Client; exchange: Exchange } | null {
    if (owner) {
      const exchange = owner.ready.shift();
      return exchange ? { client: owner, exchange } : null;
    }
    for (const client of clients) {
      const exchange = client.ready.shift();
      if (exchange) {
        clients.delete(client);
        clients.add(client);
        return { client, exchange };
      }
    }
    return null;
  }

  async function run(client: Client, exchange: Exchange): Promise<void> {
    const cleanup = exchange.kind === "cleanup";
    const reply = cleanup ? () => {} : (data: Uint8Array) => client.write(data);
    try {
      await db.runExclusive(async () => {
        for (const message of cleanup ? cleanupMessages(client) : exchange.messages) {
          await db.execProtocolRawStream(message, { onRawData: reply });
          // A departed client's transaction rolls back once its half-sent exchange is ended.
          if (cleanup && message[0] === 0x53 /* Sync */ && db.isInTransaction()) {
            await db.execProtocolRawStream(simpleQuery("ROLLBACK"), { onRawData: reply });
          }
        }
      });
    } catch (error) {
      // SQL errors arrive as ErrorResponse messages; a throw means PGlite itself failed.
      fatal(client, "XX000", `embedded PostgreSQL failed: ${(error as Error).message}`);
    }
    client.lastActivity = Date.now();
    if (cleanup) {
      client.midExchange = false;
      client.statements.clear();
      if (owner === client) owner = null;
      clients.delete(client);
      return;
    }
    const last = exchange.messages[exchange.messages.length - 1]!;
    client.midExchange = exchange.kind === "client" && !BACK_TO_READY.has(String.fromCharCode(last[0]!));
    owner = client.midExchange || db.isInTransaction() ? client : null;
  }

  function cleanupMessages(client: Client): Buffer[] {
    const messages: Buffer[] = [];
    // Sync ends a half-sent extended-query exchange (and its implicit transaction).
    if (client.midExchange || owner === client) messages.push(sync());
    for (const name of client.statements) messages.push(closeStatement(name));
    if (client.statements.size > 0) messages.push(sync());
    return messages;
  }

  function disconnect(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    client.partial = [];
    client.ready = [];
    if (client !== current) cleanUpAfter(client);
  }

  /** Queues the end of whatever a departed client left open: exchange, transaction, statements. */
  function cleanUpAfter(client: Client): void {
    if (client.cleanupQueued) return;
    if (owner !== client && !client.midExchange && client.statements.size === 0) {
      clients.delete(client);
      return;
    }
    client.cleanupQueued = true;
    client.ready = [{ kind: "cleanup", messages: [] }];
    void pump();
  }

  function fatal(client: Client, code: string, message: string): void {
    client.write(errorResponse("FATAL", code, message));
    client.socket.destroy();
    disconnect(client);
  }

  /** Fails every exchange waiting behind an idle transaction, without running it. */
  function refuseWaiting(holder: Client): void {
    const message =
      `waited over ${options.transactionWaitTimeoutMs} ms for another connection's open transaction. ` +
      "The embedded PostgreSQL runs one transaction at a time, so a transaction that waits for a " +
      "query on a different connection never finishes: inside db.transaction(), query through tx, " +
      "not db. If the transaction is merely slow, raise transactionWaitTimeoutMs or use a real PostgreSQL.";
    for (const client of clients) {
      if (client === holder || client.closed) continue;
      for (const exchange of client.ready.splice(0)) {
        if (exchange.kind === "startup") {
          fatal(client, "55P03", `could not connect: ${message}`);
          break;
        }
        const last = String.fromCharCode(exchange.messages[exchange.messages.length - 1]![0]!);
        // Like a real backend after an error: one ErrorResponse, then skip to the Sync.
        if (!client.refusedUntilSync) client.write(errorResponse("ERROR", "55P03", message));
        client.refusedUntilSync = !BACK_TO_READY.has(last);
        if (!client.refusedUntilSync) client.write(readyForQuery());
      }
    }
  }

  const watchdog = setInterval(() => {
    const holder = owner;
    if (!holder || running || holder.ready.length > 0) return;
    if (Date.now() - holder.lastActivity <= options.transactionWaitTimeoutMs) return;
    if ([...clients].some((client) => client !== holder && client.ready.length > 0)) refuseWaiting(holder);
  }, 250);
  watchdog.unref();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      stopping = true;
      clearInterval(watchdog);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of clients) client.socket.destroy();
      await idle;
      await closed;
    },
  };
}

/** Remembers named prepared statements so they can be closed when their client leaves. */
function trackStatements(client: Client, type: string, message: Buffer): void {
  if (type === "P") {
    const name = cString(message, 5);
    if (name) client.statements.add(name);
  } else if (type === "C" && message[5] === 0x53 /* 'S' */) {
    client.statements.delete(cString(message, 6));
  }
}

function cString(buf: Buffer, offset: number): string {
  const end = buf.indexOf(0, offset);
  return buf.toString("utf8", offset, end === -1 ? buf.length : end);
}

function frame(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, "latin1");
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

function sync(): Buffer {
  return frame("S", Buffer.alloc(0));
}

function simpleQuery(text: string): Buffer {
  return frame("Q", Buffer.from(`${text}\0`));
}

function closeStatement(name: string): Buffer {
  return frame("C", Buffer.from(`S${name}\0`));
}

function readyForQuery(): Buffer {
  return frame("Z", Buffer.from("I"));
}

function errorResponse(severity: "ERROR" | "FATAL", code: string, message: string): Buffer {
  const fields = [`S${severity}`, `V${severity}`, `C${code}`, `M${message}`].map((field) => `${field}\0`).join("");
  return frame("E", Buffer.from(`${fields}\0`));
}
