import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backoff, readCapped } from "../src/index.ts";

describe("backoff", () => {
  it("doubles with equal jitter up to its ceiling", () => {
    expect([1, 2, 3].map((n) => backoff(100, n, 5_000, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((n) => backoff(100, n, 5_000, () => 1))).toEqual([100, 200, 400]);
    expect(backoff(1_000, 10, 5_000, () => 1)).toBe(5_000);
    expect(backoff(1_000, 10, 4_000, () => 0)).toBe(2_000);
  });
});

describe("readCapped", () => {
  let origin: string;
  let endless = false;
  const server = createServer((req, res) => {
    const size = Number(new URL(req.url!, "http://x").searchParams.get("size"));
    res.writeHead(200, { "content-type": "application/octet-stream" });
    if (!endless) return res.end(Buffer.alloc(size, 7));
    const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 1);
    res.on("close", () => clearInterval(timer));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("returns a body at or under the cap whole", async () => {
    const { body } = await request(`${origin}/?size=1000`);
    expect((await readCapped(body, 1000))?.length).toBe(1000);
  });

  it("stops reading a body over the cap, even one that never ends", async () => {
    expect(await readCapped((await request(`${origin}/?size=1001`)).body, 1000)).toBeNull();
    endless = true;
    expect(await readCapped((await request(`${origin}/`)).body, 1024 * 1024)).toBeNull();
  });
});
