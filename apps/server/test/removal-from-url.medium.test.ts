import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let imageHost: http.Server;
let hostUrl: string;
let fetched: string[];

beforeAll(async () => {
  const photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
  fetched = [];
  // An image host on this machine, trusted through IMAGE_URL_PRIVATE_HOSTS as an intranet asset server would be.
  imageHost = http.createServer((req, res) => {
    fetched.push(req.url ?? "");
    if (req.url === "/shop/teddy%20bear.jpg") return res.writeHead(200, { "content-type": "image/jpeg" }).end(photo);
    if (req.url === "/notes.txt") return res.writeHead(200, { "content-type": "text/plain" }).end("not an image");
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => imageHost.listen(0, "127.0.0.1", resolve));
  hostUrl = `http://localhost:${(imageHost.address() as AddressInfo).port}`;
  server = await startTestServer({ IMAGE_URL_PRIVATE_HOSTS: "localhost" });
});
afterAll(async () => {
  await new Promise((resolve) => imageHost?.close(resolve));
  await server?.close();
});

async function removeFromUrl(token: string, body: Record<string, unknown>) {
  const response = await fetch(`${server.api}/remove`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe("POST /remove with an image URL (JSON)", () => {
  it("fetches the image through the guarded fetcher, charges the tier and names the job after the URL's file", async () => {
    const token = await server.userWithCredits("by-url", 10);
    const { status, body } = await removeFromUrl(token, { imageUrl: `${hostUrl}/shop/teddy%20bear.jpg`, tier: "basic" });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ status: "completed", tier: "basic", creditsUsed: 3, originalFileName: "teddy bear.jpg" });
    expect(body.data.metadata).toMatchObject({ width: 284, height: 398 });
  });

  it("refuses, with the reason and nothing charged: a page that is not an image, a private address, a missing URL", async () => {
    const token = await server.userWithCredits("by-bad-url", 10);
    const notImage = await removeFromUrl(token, { imageUrl: `${hostUrl}/notes.txt`, tier: "basic" });
    expect(notImage.status).toBe(400);
    expect(notImage.body.error.code).toBe("INVALID_IMAGE");
    expect(notImage.body.error.message).toMatch(/^Could not use the image URL: /);

    const inside = await removeFromUrl(token, { imageUrl: "http://10.0.0.7/photo.jpg", tier: "basic" });
    expect(inside.status).toBe(400);
    expect(inside.body.error.message).toMatch(/^Could not use the image URL: /);

    const none = await removeFromUrl(token, { tier: "basic" });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toContain('"imageUrl"');
    const me = await fetch(`${server.api}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as any).data.creditBalance).toBe(10);
  });

  it("checks credits before fetching: a refused request downloads nothing", async () => {
    const token = await server.userWithCredits("by-url-poor", 1);
    const before = fetched.length;
    const { status, body } = await removeFromUrl(token, { imageUrl: `${hostUrl}/shop/teddy%20bear.jpg`, tier: "industry" });
    expect(status).toBe(402);
    expect(body.error.code).toBe("INSUFFICIENT_CREDITS");
    expect(fetched.length).toBe(before);
  });
});
