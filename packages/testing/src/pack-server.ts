import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface PackServerOptions {
  /** For the first `count` requests, drop the connection after `afterBytes` bytes of the body. */
  cut?: { count: number; afterBytes: number };
  /** Ignore Range headers and always send the whole file (an origin without range support). */
  ignoreRange?: boolean;
}

export interface PackServer {
  url(file: string): string;
  /** The Range header of each request in order (null: none). */
  readonly ranges: (string | null)[];
  /** Body bytes sent in all. */
  readonly bytesSent: number;
  close(): Promise<void>;
}

/** An HTTP origin on 127.0.0.1 serving files from memory, with Range support and deliberate cuts. */
export async function startPackServer(files: Record<string, Buffer>, options: PackServerOptions = {}): Promise<PackServer> {
  const ranges: (string | null)[] = [];
  let bytesSent = 0;
  let cutsLeft = options.cut?.count ?? 0;
  const server = createServer((request: IncomingMessage, response) => {
    const body = files[decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname.slice(1))];
    ranges.push(request.headers.range ?? null);
    if (!body) {
      response.writeHead(404).end("not found");
      return;
    }
    let start = 0;
    const range = options.ignoreRange ? null : /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
    if (range) {
      start = Number(range[1]);
      if (start >= body.length) {
        response.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
        return;
      }
      response.writeHead(206, {
        "content-length": body.length - start,
        "content-range": `bytes ${start}-${body.length - 1}/${body.length}`,
        "accept-ranges": "bytes",
      });
    } else {
      response.writeHead(200, { "content-length": body.length, "accept-ranges": "bytes" });
    }
    const rest = body.subarray(start);
    if (cutsLeft > 0 && options.cut) {
      cutsLeft--;
      const part = rest.subarray(0, options.cut.afterBytes);
      bytesSent += part.length;
      // Send part of the body, give the client a moment to read it, then close the connection: the
      // client sees a body shorter than Content-Length, as on a dropped connection.
      response.write(part, () => setTimeout(() => response.socket?.end(), 100));
      return;
    }
    bytesSent += rest.length;
    response.end(rest);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (file) => `http://127.0.0.1:${port}/${file}`,
    ranges,
    get bytesSent() {
      return bytesSent;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
