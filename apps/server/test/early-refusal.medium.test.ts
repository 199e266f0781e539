import { randomBytes } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

/**
 * Issue 15 item 5: the cheap checks (rate limit, credits against the quote) run as soon as the tier and
 * the file count are known, and the rest of the upload is not read; no staging or item folder is left.
 */
let server: TestServer;
let photo: Buffer;
const MB = 1024 * 1024;

beforeAll(async () => {
  server = await startTestServer({ BATCH_RATE_LIMIT_PER_HOUR: "1" });
  photo = await sharp(await readFile(path.join(DEV_DATA, "gc-teddy.jpg")))
    .resize({ width: 128 })
    .jpeg()
    .toBuffer();
});
afterAll(() => server?.close());

/** Every file and folder under `dir` (relative), or [] when it does not exist. */
async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { recursive: true })).map(String);
  } catch {
    return [];
  }
}
const staging = () => entries(path.join(server.env.DATA_DIR!, "uploads"));
const storage = () => entries(path.join(server.env.DATA_DIR!, "storage"));

/** Posts `form` as a stream, counting how many of its bytes the server pulled before it answered. */
async function postCounting(route: string, token: string, form: FormData) {
  const encoded = new Response(form);
  const total = Number((await encoded.clone().arrayBuffer()).byteLength);
  const reader = encoded.body!.getReader();
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      sent += value.length;
      controller.enqueue(value);
    },
  });
  const started = Date.now();
  const response = await fetch(`${server.api}${route}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": encoded.headers.get("content-type")! },
    body,
    duplex: "half",
  } as RequestInit);
  const json = (await response.json()) as any;
  return { status: response.status, body: json, sent, total, ms: Date.now() - started, connection: response.headers.get("connection") };
}

function bigBatch(count: number, fileBytes: number, tierFirst = true): FormData {
  const form = new FormData();
  if (tierFirst) form.set("tier", "standard");
  for (let i = 0; i < count; i++) form.append("images", new Blob([new Uint8Array(randomBytes(fileBytes))]), `big-${i}.jpg`);
  if (!tierFirst) form.set("tier", "standard");
  return form;
}

describe("refused before the upload is read", () => {
  it("a 0-credit user's 20 × 9 MB batch: 402 at the first file, almost nothing read, nothing staged", async () => {
    const token = await server.userWithCredits("broke", 0);
    const answer = await postCounting("/batch", token, bigBatch(20, 9 * MB));
    expect([answer.status, answer.body.error.code]).toEqual([402, "INSUFFICIENT_CREDITS"]);
    // The cheapest batch of standard images (2 × 8) is what it could not pay.
    expect(answer.body.error.details).toEqual({ required: 16, available: 0 });
    expect(answer.connection).toBe("close");
    expect(answer.sent).toBeLessThan(answer.total / 4);
    expect(await staging()).toEqual([]);
    expect(await storage()).toEqual([]);
  });

  it("stops when the files so far already cost more than the balance", async () => {
    const token = await server.userWithCredits("modest", 40); // 5 standard images
    const answer = await postCounting("/batch", token, bigBatch(20, 9 * MB));
    expect([answer.status, answer.body.error.details]).toEqual([402, { required: 48, available: 40 }]);
    expect(answer.sent).toBeLessThan(answer.total / 2);
    expect(await staging()).toEqual([]);
  });

  it("a single removal: 402 before the image is read (an 11 MB one would otherwise be a 413)", async () => {
    const token = await server.userWithCredits("broke-single", 0);
    const answer = await postCounting("/remove", token, imageForm(randomBytes(11 * MB), { tier: "standard" }));
    expect([answer.status, answer.body.error.code]).toEqual([402, "INSUFFICIENT_CREDITS"]);
    expect(answer.connection).toBe("close");
    expect((await storage()).filter((entry) => entry.startsWith("users/broke-single/"))).toEqual([]);
  });

  it("past the hourly batch limit: 429 with Retry-After before the second batch is read", async () => {
    const token = await server.userWithCredits("hourly", 1000);
    const first = new FormData();
    first.set("tier", "basic");
    for (const name of ["a.jpg", "b.jpg"]) first.append("images", new Blob([new Uint8Array(photo)]), name);
    expect(
      (await fetch(`${server.api}/batch`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: first })).status,
    ).toBe(201);
    const answer = await postCounting("/batch", token, bigBatch(10, 9 * MB));
    expect([answer.status, answer.body.error.code]).toEqual([429, "RATE_LIMITED"]);
    expect(answer.sent).toBeLessThan(answer.total / 4);
    expect(await staging()).toEqual([]);
  });
});

describe("no folder left behind on the slower refusals", () => {
  it("tier after the files (no early check): the charge refuses, and neither staging nor item folders remain", async () => {
    const token = await server.userWithCredits("late-tier", 0);
    const form = new FormData();
    for (const name of ["a.jpg", "b.jpg", "c.jpg"]) form.append("images", new Blob([new Uint8Array(photo)]), name);
    form.set("tier", "basic");
    const response = await fetch(`${server.api}/batch`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
    expect(response.status).toBe(402);
    expect(await staging()).toEqual([]);
    // The items' originals were stored before the charge refused; their folders went with them.
    expect((await storage()).filter((entry) => entry.startsWith("users/late-tier/jobs/"))).toEqual([]);
  });

  it("bad files: 400 naming them, and the staging folder is gone", async () => {
    const token = await server.userWithCredits("bad-files", 100);
    const form = new FormData();
    form.set("tier", "basic");
    for (const name of ["a.jpg", "b.jpg"]) form.append("images", new Blob([new Uint8Array(randomBytes(1000))]), name);
    const response = await fetch(`${server.api}/batch`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
    expect(response.status).toBe(400);
    expect(await staging()).toEqual([]);
  });
});

describe("a retry of an answered request is replayed, not refused by the cheap checks", () => {
  it("the first removal spent the last credits; its retry with the same Idempotency-Key still gets the first answer", async () => {
    const token = await server.userWithCredits("last-credits", 3);
    const send = () =>
      fetch(`${server.api}/remove`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "idempotency-key": "retry-last-credits" },
        body: imageForm(photo, { tier: "basic" }),
      });
    const first = await send();
    expect(first.status).toBe(200);
    const retry = await send();
    expect([retry.status, retry.headers.get("idempotent-replayed")]).toEqual([200, "true"]);
    expect(((await retry.json()) as any).data.jobId).toBe(((await first.json()) as any).data.jobId);
  });
});
