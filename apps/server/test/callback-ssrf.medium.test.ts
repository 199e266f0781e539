import type dns from "node:dns";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { backgroundRemovalBatches, backgroundRemovalJobs, creditLedger, users } from "@bgr/db";
import { startFakeLumikuApps, type FakeLumikuApps } from "@bgr/testing";
import { count, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_DATA, startCallbackReceiver, startTestServer, type CallbackReceiver, type TestServer } from "./harness.ts";

/**
 * Callback SSRF through the real endpoints and the real worker: the target receiver listens on
 * 127.0.0.1 on a port the server allows, so only the address rule stands between a hostile URL and it.
 */
let fake: FakeLumikuApps;
let target: CallbackReceiver;
let redirector: CallbackReceiver;
let server: TestServer;
let photo: Buffer;
/** The DNS the callback guard sees; `rebind.example` is public at submission and loopback afterwards. */
const dnsAnswers: Record<string, string[]> = {
  localhost: ["127.0.0.1"],
  "internal.example": ["10.1.2.3"],
  "hooks.example": ["93.184.216.34"],
};
const resolve = async (hostname: string): Promise<dns.LookupAddress[]> => {
  const list = dnsAnswers[hostname];
  if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  const address = list.length > 1 ? list.shift()! : list[0]!;
  return [{ address, family: address.includes(":") ? 6 : 4 }];
};

beforeAll(async () => {
  fake = await startFakeLumikuApps();
  target = await startCallbackReceiver();
  redirector = await startCallbackReceiver();
  server = await startTestServer(
    {
      RUN_WORKER: "true",
      BATCH_RATE_LIMIT_PER_HOUR: "1000",
      CALLBACK_ALLOWED_PORTS: `80,443,${target.port}`,
      CALLBACK_TRUSTED_HOSTS: redirector.host,
      LUMIKU_AVATAR_CREATOR_URL: fake.baseUrls["avatar-creator"],
      LUMIKU_POSE_GENERATOR_URL: fake.baseUrls["pose-generator"],
      LUMIKU_IMAGE_UPSCALER_URL: fake.baseUrls["image-upscaler"],
    },
    undefined,
    { resolve },
  );
  photo = await sharp(await readFile(path.join(DEV_DATA, "gc-teddy.jpg")))
    .resize({ width: 240 })
    .jpeg()
    .toBuffer();
});
afterAll(async () => {
  await server?.close();
  await target?.close();
  await redirector?.close();
  await fake?.close();
});

const P = () => target.port;
const hostile = () => [
  `http://127.0.0.1:${P()}/hook`,
  `http://2130706433:${P()}/hook`,
  `http://0x7f.1:${P()}/hook`,
  `http://017700000001:${P()}/hook`,
  `http://[::1]:${P()}/hook`,
  `http://[::ffff:127.0.0.1]:${P()}/hook`,
  `http://localhost:${P()}/hook`,
  `http://169.254.169.254:${P()}/latest/meta-data`,
  `http://[::ffff:a9fe:a9fe]:${P()}/`,
  `http://10.0.0.5:${P()}/`,
  `http://172.16.0.1:${P()}/`,
  `http://192.168.0.1:${P()}/`,
  `http://[fd00::1]:${P()}/`,
  `http://internal.example:${P()}/`,
  `http://user:secret@hooks.example/`,
  `http://hooks.example:5432/`,
  `http://93.184.216.34:6379/`,
  `gopher://hooks.example/`,
];

async function money(userId: string) {
  const { db } = server.database;
  const [user] = await db.select({ balance: users.creditBalance }).from(users).where(eq(users.id, userId));
  const ledger = await db.select().from(creditLedger).where(eq(creditLedger.userId, userId));
  return { balance: user!.balance, ledgerRows: ledger.length };
}

async function workRows(userId: string) {
  const { db } = server.database;
  const [jobs] = await db.select({ n: count() }).from(backgroundRemovalJobs).where(eq(backgroundRemovalJobs.userId, userId));
  const [batches] = await db.select({ n: count() }).from(backgroundRemovalBatches).where(eq(backgroundRemovalBatches.userId, userId));
  return jobs!.n + batches!.n;
}

async function postJson(token: string, route: string, body: unknown) {
  const response = await fetch(`${server.api}${route}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function postBatch(token: string, callbackUrl: string) {
  const form = new FormData();
  form.set("tier", "basic");
  form.set("callbackUrl", callbackUrl);
  for (const name of ["a.jpg", "b.jpg"]) form.append("images", new Blob([new Uint8Array(photo)]), name);
  const response = await fetch(`${server.api}/batch`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: (await response.json()) as any };
}

/** The batch-callback queue job of a batch, once it has run to its end. */
async function settledCallbackJob(batchId: string) {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const rows = (await server.database
      .sql`select state, retry_count from pgboss.job where name = 'batch-callback' and data->>'batchId' = ${batchId}`) as unknown as {
      state: string;
      retry_count: number;
    }[];
    if (rows[0] && ["completed", "failed"].includes(rows[0].state)) return rows[0];
    if (Date.now() > deadline) throw new Error(`callback of ${batchId} never ran: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe("callbackUrl SSRF", () => {
  it("refuses every hostile callback with a 400 at every endpoint, charging, fetching and sending nothing", async () => {
    const token = await server.userWithCredits("ssrf", 500);
    fake.addProject("avatar-creator", {
      id: "proj",
      owner: "ssrf",
      images: [
        { id: "i1", bytes: photo },
        { id: "i2", bytes: photo },
      ],
    });
    fake.addGeneratedImage("ssrf", { id: "gen", bytes: photo });
    fake.addUpscalerImage("ssrf", { id: "up", bytes: photo });
    fake.clearRequests();
    for (const callbackUrl of hostile()) {
      const answers = [
        await postBatch(token, callbackUrl),
        await postJson(token, "/integrations/avatar-creator/batch", { projectId: "proj", tier: "basic", callbackUrl }),
        await postJson(token, "/integrations/pose-generator/auto-remove", { generatedImageId: "gen", tier: "basic", callbackUrl }),
        await postJson(token, "/integrations/image-upscaler/pipeline", {
          imageId: "up",
          pipeline: "remove-then-upscale",
          removalTier: "basic",
          upscaleFactor: 2,
          callbackUrl,
        }),
      ];
      for (const { status, body } of answers) {
        expect({ callbackUrl, status, code: body.error?.code }).toEqual({ callbackUrl, status: 400, code: "INVALID_OPTIONS" });
        expect(body.error.message).toMatch(/^callbackUrl refused: .+ Nothing was charged/);
      }
    }
    expect(await money("ssrf")).toEqual({ balance: 500, ledgerRows: 1 });
    expect(await workRows("ssrf")).toBe(0);
    expect(fake.requests).toEqual([]);
    expect(target.received).toEqual([]);
  });

  it("connects only to the address it checks: a DNS answer turned loopback after submission gets nothing", async () => {
    dnsAnswers["rebind.example"] = ["93.184.216.34", "127.0.0.1"];
    const token = await server.userWithCredits("rebinder", 100);
    const created = await postBatch(token, `http://rebind.example:${P()}/hook`);
    expect(created.status).toBe(201);
    const job = await settledCallbackJob(created.body.data.batchId);
    // Refused for good: not retried, and the receiver never saw a byte.
    expect(job).toEqual({ state: "completed", retry_count: 0 });
    expect(target.received).toEqual([]);
  });

  it("does not follow a trusted receiver's redirect", async () => {
    redirector.answer.push({ status: 307, location: `http://127.0.0.1:${P()}/stolen` });
    const token = await server.userWithCredits("redirected", 100);
    const created = await postBatch(token, `http://${redirector.host}/hook`);
    expect(created.status).toBe(201);
    const job = await settledCallbackJob(created.body.data.batchId);
    expect(job).toEqual({ state: "completed", retry_count: 0 });
    expect(redirector.received.map((r) => r.path)).toEqual(["/hook"]);
    expect(target.received).toEqual([]);
  });
});
