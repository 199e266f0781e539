import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How the fake answers the n-th call (1-based). */
export type Behaviour = (call: ReceivedCall, res: ServerResponse, n: number) => void | Promise<void>;

export interface FakeService {
  /** Base URL, e.g. http://127.0.0.1:4567/v1 */
  url: string;
  calls: ReceivedCall[];
  behave(behaviour: Behaviour): void;
  close(): Promise<void>;
}

/** A remote model played by a real HTTP server on 127.0.0.1 (an ephemeral port), recording every call. */
export async function startFakeService(basePath = ""): Promise<FakeService> {
  let behaviour: Behaviour = (_call, res) => {
    res.writeHead(500).end("no behaviour set");
  };
  const calls: ReceivedCall[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const call = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
    calls.push(call);
    // A client that gave up closes the socket; what the behaviour still writes is dropped.
    res.on("error", () => undefined);
    try {
      await behaviour(call, res, calls.length);
    } catch {
      res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    calls,
    behave: (next) => {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function answer(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
) {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": contentType, "content-length": Buffer.byteLength(body), ...headers }).end(body);
}

/** Hugging Face's image-segmentation answer: `[{ label, score, mask }]`, the mask a base64 PNG. */
export function segmentsJson(masks: { mask: Buffer; score?: number; label?: string }[]): string {
  return JSON.stringify(masks.map(({ mask, score = 1, label = "foreground" }) => ({ label, score, mask: mask.toString("base64") })));
}
