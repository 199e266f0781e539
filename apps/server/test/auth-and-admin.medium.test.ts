import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";

const run = promisify(execFile);
let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer({}, database);
});
afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** Runs the admin CLI as an operator would, against the same database. */
async function admin(...args: string[]) {
  const { stdout } = await run(
    process.execPath,
    ["--conditions=@bgr/source", "--import", "tsx", path.join(import.meta.dirname, "../src/admin.ts"), ...args],
    {
      env: { ...process.env, DATABASE_URL: database.url, JWT_SECRET: "test-secret-for-the-service-tests" },
    },
  );
  return stdout;
}

describe("admin CLI and credentials", () => {
  it("creates a user with credits whose printed token works", async () => {
    const out = await admin("create-user", "hana", "--credits", "40", "--email", "hana@example.com");
    expect(out).toContain("40 credits");
    const token = out.match(/token: (\S+)/)![1]!;
    const me = (await (await fetch(`${server.api}/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    expect(me.data).toMatchObject({ userId: "hana", email: "hana@example.com", creditBalance: 40 });
  });

  it("grants credits with a ledger row and prints the balance", async () => {
    expect(await admin("grant", "hana", "15")).toContain("balance: 55");
    const balance = await admin("balance", "hana");
    expect(balance).toMatch(/hana: 55 credits/);
    expect(balance).toMatch(/15\s+grant/);
  });

  it("creates an API key that authenticates as its owner, by header or bearer", async () => {
    const key = (await admin("api-key", "hana", "--name", "avatar-creator")).trim().split("\n").at(-1)!;
    expect(key).toMatch(/^bgr_/);
    for (const headers of [{ "x-api-key": key }, { authorization: `Bearer ${key}` }] as Record<string, string>[]) {
      const response = await fetch(`${server.api}/me`, { headers });
      expect(response.status).toBe(200);
      expect(((await response.json()) as any).data.userId).toBe("hana");
    }
    const wrong = await fetch(`${server.api}/me`, { headers: { "x-api-key": `${key}x` } });
    expect(wrong.status).toBe(401);
  });

  it("creates a scoped key, lists it with its last use, and revokes it at once", async () => {
    const created = await admin("api-key", "hana", "--name", "billing bot", "--scopes", "billing");
    expect(created).toMatch(/scopes billing\)/);
    const key = created.trim().split("\n").at(-1)!;
    const keyId = created.match(/api key (key_\w+)/)![1]!;
    expect((await fetch(`${server.api}/subscription`, { headers: { "x-api-key": key } })).status).toBe(200);
    expect((await fetch(`${server.api}/jobs`, { headers: { "x-api-key": key } })).status).toBe(403);
    const listed = await admin("api-keys", "hana");
    expect(listed).toMatch(new RegExp(`${keyId}.*billing bot\\s+scopes=billing.*last used \\d{4}-.*active`));
    expect(await admin("revoke-api-key", "hana", keyId)).toMatch(/revoked \d{4}-/);
    expect((await fetch(`${server.api}/subscription`, { headers: { "x-api-key": key } })).status).toBe(401);
    expect(await admin("api-keys", "hana")).toMatch(new RegExp(`${keyId}.*revoked \\d{4}-`));
  });

  it("rejects a token signed with another secret", async () => {
    const { issueAccessToken } = await import("@bgr/core");
    const forged = await issueAccessToken("hana", "admin", "some-other-secret-entirely");
    expect((await fetch(`${server.api}/me`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
  });
});

describe("tRPC", () => {
  it("serves the typed procedures with the same auth and error codes", async () => {
    const token = await server.token("hana");
    const input = encodeURIComponent(JSON.stringify({ tier: "basic", imageCount: 20 }));
    const priced = (await (await fetch(`${server.url}/api/trpc/pricing.calculate?input=${input}`)).json()) as any;
    expect(priced.result.data.pricing).toMatchObject({ baseTotal: 60, discountPercentage: 5, discountAmount: 3, finalTotal: 57 });
    const anonymous = await fetch(`${server.url}/api/trpc/account.me`);
    expect(anonymous.status).toBe(401);
    const me = (await (await fetch(`${server.url}/api/trpc/account.me`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    expect(me.result.data.userId).toBe("hana");
    const missing = await fetch(`${server.url}/api/trpc/jobs.get?input=${encodeURIComponent(JSON.stringify({ jobId: "job_nope" }))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.data.domainCode).toBe("NOT_FOUND");
  });
});
