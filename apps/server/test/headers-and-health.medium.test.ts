import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { deriveSecrets } from "@bgr/core";
import { SignJWT } from "jose";
import { createDatabase } from "@bgr/db";
import { testDatabaseAdminUrl } from "@bgr/db/testing";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

/** Issue 15 items 8 and 10: security headers, rate-limit headers, health and readiness, timeouts, token and link keys. */
let server: TestServer;
let photo: Buffer;

beforeAll(async () => {
  server = await startTestServer({
    SINGLE_RATE_LIMIT_PER_MINUTE: "2",
    BATCH_RATE_LIMIT_PER_HOUR: "3",
    HTTP_HEADERS_TIMEOUT_SECONDS: "1",
    HTTP_REQUEST_TIMEOUT_SECONDS: "2",
  });
  photo = await sharp(await readFile(path.join(DEV_DATA, "gc-teddy.jpg")))
    .resize({ width: 256 })
    .jpeg()
    .toBuffer();
});
afterAll(() => server?.close());

const remove = (token: string) =>
  fetch(`${server.api}/remove`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: imageForm(photo, { tier: "basic" }),
  });

describe("security headers", () => {
  it("every answer: nosniff, a CSP that forbids framing, Referrer-Policy", async () => {
    for (const url of [`${server.url}/health`, `${server.api}/me`, `${server.url}/nowhere`]) {
      const { headers } = await fetch(url);
      expect(headers.get("x-content-type-options")).toBe("nosniff");
      expect(headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
      expect(headers.get("content-security-policy")).toMatch(/default-src 'self'/);
      expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
  });

  it("stored results: nosniff and a sandboxing CSP, embeddable as an image elsewhere", async () => {
    const token = await server.userWithCredits("viewer", 10);
    const removed = (await (await remove(token)).json()) as any;
    const file = await fetch(new URL(removed.data.processedUrl, server.url));
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(file.headers.get("content-security-policy")).toMatch(/default-src 'none'.*sandbox/);
    expect(file.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  });

  it("a successful removal carries X-RateLimit-Limit/-Remaining/-Reset too", async () => {
    const token = await server.userWithCredits("counted", 10);
    const before = Math.ceil(Date.now() / 1000);
    const removed = await remove(token);
    expect(removed.status).toBe(200);
    expect([removed.headers.get("x-ratelimit-limit"), removed.headers.get("x-ratelimit-remaining")]).toEqual(["2", "1"]);
    const reset = Number(removed.headers.get("x-ratelimit-reset"));
    // The minute's window frees this removal's slot 60 s after it was made.
    expect(reset - before).toBeGreaterThanOrEqual(59);
    expect(reset - before).toBeLessThanOrEqual(62);
  });

  it("a successful batch carries the hourly batch limit's X-RateLimit-* headers", async () => {
    const token = await server.userWithCredits("batch-counted", 20);
    const form = new FormData();
    form.set("tier", "basic");
    for (const name of ["a.jpg", "b.jpg"]) form.append("images", new Blob([new Uint8Array(photo)]), name);
    const created = await fetch(`${server.api}/batch`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
    expect(created.status).toBe(201);
    expect([created.headers.get("x-ratelimit-limit"), created.headers.get("x-ratelimit-remaining")]).toEqual(["3", "2"]);
    expect(Number(created.headers.get("x-ratelimit-reset")) - Date.now() / 1000).toBeGreaterThan(3500);
  });

  it("429 carries Retry-After and X-RateLimit-Limit/-Remaining/-Reset", async () => {
    const token = await server.userWithCredits("hasty", 30);
    expect((await remove(token)).status).toBe(200);
    expect((await remove(token)).status).toBe(200);
    const limited = await remove(token);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(limited.headers.get("x-ratelimit-limit")).toBe("2");
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    const reset = Number(limited.headers.get("x-ratelimit-reset"));
    expect(Math.abs(reset - (Math.ceil(Date.now() / 1000) + retryAfter))).toBeLessThanOrEqual(2);
  });
});

describe("tokens and link keys", () => {
  it("refuses a platform token without exp", async () => {
    const forever = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("immortal")
      .sign(new TextEncoder().encode(server.env.JWT_SECRET));
    expect((await fetch(`${server.api}/me`, { headers: { authorization: `Bearer ${forever}` } })).status).toBe(401);
  });

  it("a file link signed with a key derived from the platform's JWT secret is refused", async () => {
    const token = await server.userWithCredits("linker", 10);
    const removed = (await (await remove(token)).json()) as any;
    const link = new URL(removed.data.processedUrl, server.url);
    const key = decodeURIComponent(link.pathname.replace(/^.*\/files\//, ""));
    const expires = link.searchParams.get("expires")!;
    // What signed links before: HMAC-SHA256(JWT_SECRET, "file-links"); anyone holding the platform secret could mint these.
    const oldKey = createHmac("sha256", server.env.JWT_SECRET!).update("file-links").digest("base64url");
    const forged = createHmac("sha256", oldKey).update(`${key}\n${expires}`).digest("base64url");
    link.searchParams.set("signature", forged);
    expect((await fetch(link)).status).toBe(403);
    expect(Object.values(deriveSecrets(server.env.JWT_SECRET!))).not.toContain(oldKey);
  });

  it("checks iss and aud when JWT_ISSUER and JWT_AUDIENCE are set", async () => {
    const strict = await startTestServer({ JWT_ISSUER: "https://lumiku.example", JWT_AUDIENCE: "background-remover" });
    try {
      const key = new TextEncoder().encode(strict.env.JWT_SECRET);
      const token = (iss: string, aud: string) =>
        new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject("claimed")
          .setIssuer(iss)
          .setAudience(aud)
          .setExpirationTime("1h")
          .sign(key);
      const me = async (t: string) => (await fetch(`${strict.api}/me`, { headers: { authorization: `Bearer ${t}` } })).status;
      expect(await me(await token("https://lumiku.example", "background-remover"))).toBe(200);
      expect(await me(await token("https://evil.example", "background-remover"))).toBe(401);
      expect(await me(await token("https://lumiku.example", "another-app"))).toBe(401);
      // The harness issues tokens the way the admin CLI does: with the configured claims.
      expect(await me(await strict.token("claimed"))).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe("timeouts: a slow client cannot hold a socket", () => {
  /** Opens a raw connection, writes `bytes`, then stays silent; resolves with what the server wrote and when it closed. */
  function silentClient(bytes: string): Promise<{ text: string; closedAfterMs: number }> {
    const url = new URL(server.url);
    return new Promise((resolve, reject) => {
      const started = Date.now();
      let text = "";
      const socket = net.connect(Number(url.port), url.hostname, () => socket.write(bytes));
      socket.setEncoding("utf8");
      socket.on("data", (chunk: string) => (text += chunk));
      socket.on("error", () => undefined);
      socket.on("close", () => resolve({ text, closedAfterMs: Date.now() - started }));
      setTimeout(() => reject(new Error("the server kept a silent socket open for 15 s")), 15_000).unref();
    });
  }

  it("headers that never finish: closed after the headers timeout, with a 408 in our envelope", async () => {
    const { text, closedAfterMs } = await silentClient("GET /health HTTP/1.1\r\nHost: x\r\n");
    expect(closedAfterMs).toBeLessThan(5_000);
    expect(text).toMatch(/^HTTP\/1.1 408/);
    expect(JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4))).toEqual({
      success: false,
      error: { code: "REQUEST_TIMEOUT", message: expect.any(String) },
    });
  });

  it("a body that never finishes: closed after the request timeout", async () => {
    const { closedAfterMs } = await silentClient(
      'POST /api/apps/background-remover/pricing/calculate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"tier":',
    );
    expect(closedAfterMs).toBeLessThan(6_000);
  });
});

describe("health", () => {
  it("/health is liveness; /health/ready checks the database and the queue", async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { database: "ok", queue: "ok" } });
  });

  it("/health/ready answers 503 while the database refuses connections, and recovers", async () => {
    const name = new URL(server.database.url).pathname.slice(1);
    const { sql: admin, close } = createDatabase(testDatabaseAdminUrl(), { max: 1 });
    try {
      await admin.unsafe(`alter database "${name}" allow_connections false`);
      await admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`);
      const down = await fetch(`${server.url}/health/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: "unavailable", checks: { database: "unreachable", queue: "unreachable" } });
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await admin.unsafe(`alter database "${name}" allow_connections true`);
      await close();
    }
    for (const deadline = Date.now() + 10_000; ;) {
      if ((await fetch(`${server.url}/health/ready`)).status === 200) break;
      if (Date.now() > deadline) throw new Error("/health/ready did not recover");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
});
