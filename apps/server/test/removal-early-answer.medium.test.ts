import { readFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, imageForm, startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let photo: Buffer;

beforeAll(async () => {
  server = await startTestServer();
  photo = await readFile(path.join(DEV_DATA, "gc-teddy.jpg"));
});
afterAll(() => server?.close());

async function post(token: string, form: FormData) {
  const response = await fetch(`${server.api}/remove`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: (await response.json()) as any };
}

async function settled(token: string, jobId: string): Promise<any> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const response = await fetch(`${server.api}/jobs/${jobId}`, { headers: { authorization: `Bearer ${token}` } });
    const job = ((await response.json()) as any).data;
    if (job.status !== "processing" && job.status !== "pending") return job;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`job ${jobId} did not settle`);
}

async function balance(token: string): Promise<number> {
  const response = await fetch(`${server.api}/me`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as any).data.creditBalance;
}

describe("POST /remove with wait=false", () => {
  it("answers 202 with the charged job before the work is done, and the job completes on its own", async () => {
    const token = await server.userWithCredits("early", 10);
    const { status, body } = await post(token, imageForm(photo, { tier: "basic", wait: "false" }));
    expect(status).toBe(202);
    expect(body.data).toMatchObject({ status: "processing", tier: "basic", creditsUsed: 3 });
    expect(body.data.processedUrl ?? null).toBeNull();
    expect(await balance(token)).toBe(7); // charged at the answer, not at the end

    const job = await settled(token, body.data.jobId);
    expect(job.status).toBe("completed");
    const download = await fetch(`${server.url}${job.processedUrl}`);
    expect((await sharp(Buffer.from(await download.arrayBuffer())).metadata()).width).toBe(284);
    expect(await balance(token)).toBe(7);
  });

  it("refunds a removal that fails after the early answer", async () => {
    const token = await server.userWithCredits("early-fail", 10);
    // Header fine, data cut half way: passes the free checks, fails in the engine.
    const truncated = (await sharp(photo).jpeg().toBuffer()).subarray(0, 6000);
    const { status, body } = await post(token, imageForm(truncated, { tier: "basic", wait: "false" }));
    expect(status).toBe(202);
    const job = await settled(token, body.data.jobId);
    expect(job).toMatchObject({ status: "failed", refunded: true });
    expect(await balance(token)).toBe(10);
  });

  it("refuses at once what it would refuse when waiting (no credits: 402, nothing charged)", async () => {
    const token = await server.userWithCredits("early-poor", 1);
    const { status, body } = await post(token, imageForm(photo, { tier: "basic", wait: "false" }));
    expect(status).toBe(402);
    expect(body.error.code).toBe("INSUFFICIENT_CREDITS");
    expect(await balance(token)).toBe(1);
  });
});
