import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";

/** Issue 15 item 8: API keys are listed, revoked at once, record their last use, and their scopes are enforced. */
let server: TestServer;
let token: string;
let clock = new Date("2026-03-01T10:00:00Z");

beforeAll(async () => {
  server = await startTestServer({}, undefined, { now: () => clock });
  token = await server.userWithCredits("keyholder", 10);
});
afterAll(() => server?.close());

async function call(path: string, credential: string, init: RequestInit = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${credential}` };
  if (init.body) headers["content-type"] = "application/json";
  const response = await fetch(`${server.api}${path}`, { ...init, headers });
  return { status: response.status, body: (await response.json()) as any };
}

async function trpc(procedure: string, credential: string, input?: unknown, mutation = false) {
  const url = `${server.url}/api/trpc/${procedure}${mutation || input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
  const response = await fetch(url, {
    method: mutation ? "POST" : "GET",
    headers: { authorization: `Bearer ${credential}`, ...(mutation ? { "content-type": "application/json" } : {}) },
    ...(mutation ? { body: JSON.stringify(input ?? {}) } : {}),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const createKey = (body: unknown, credential = token) => call("/api-keys", credential, { method: "POST", body: JSON.stringify(body) });

describe("API keys over REST", () => {
  it("creates a key whose secret is shown once; the list shows prefix, name, scopes and dates, never the secret", async () => {
    const created = await createKey({ name: "shop backend", scopes: ["removal"] });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      name: "shop backend",
      scopes: ["removal"],
      lastUsedAt: null,
      revokedAt: null,
      createdAt: clock.toISOString(),
    });
    expect(created.body.data.key).toMatch(/^bgr_/);
    expect(created.body.data.key.startsWith(created.body.data.prefix)).toBe(true);

    const listed = await call("/api-keys", token);
    expect(listed.status).toBe(200);
    const entry = listed.body.data.items.find((k: any) => k.id === created.body.data.id);
    expect(entry).toEqual({ ...created.body.data, key: undefined });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.data.key);
  });

  it("records when a key was last used", async () => {
    const { body } = await createKey({ name: "usage" });
    clock = new Date(clock.getTime() + 60_000);
    expect((await call("/me", body.data.key)).status).toBe(200);
    const listed = await call("/api-keys", token);
    expect(listed.body.data.items.find((k: any) => k.id === body.data.id).lastUsedAt).toBe(clock.toISOString());
  });

  it("a removal-scoped key removes but cannot touch subscriptions, payments or keys: 403 INSUFFICIENT_SCOPE", async () => {
    const key = (await createKey({ name: "removal only", scopes: ["removal"] })).body.data.key;
    expect((await call("/me", key)).status).toBe(200);
    expect((await call("/jobs", key)).status).toBe(200);
    for (const [path, init] of [
      ["/subscription", {}],
      ["/subscription", { method: "POST", body: JSON.stringify({ plan: "starter" }) }],
      ["/subscription", { method: "DELETE" }],
      ["/api-keys", {}],
      ["/api-keys", { method: "POST", body: JSON.stringify({ name: "escalate", scopes: ["billing"] }) }],
    ] as const) {
      const answer = await call(path, key, init);
      expect({ path, status: answer.status, code: answer.body.error?.code }).toEqual({ path, status: 403, code: "INSUFFICIENT_SCOPE" });
      expect(answer.body.error.message).toMatch(/lacks the "(billing|keys)" scope/);
    }
    // Nothing was started on its behalf.
    expect((await call("/subscription", token)).body.data.hasSubscription).toBe(false);
  });

  it("a billing key reaches the subscription but not removals", async () => {
    const key = (await createKey({ name: "billing", scopes: ["billing"] })).body.data.key;
    expect((await call("/subscription", key)).status).toBe(200);
    expect((await call("/jobs", key)).body.error.code).toBe("INSUFFICIENT_SCOPE");
    const removebg = await fetch(`${server.url}/v1.0/account`, { headers: { "x-api-key": key } });
    expect(removebg.status).toBe(403);
    expect(((await removebg.json()) as any).errors[0].code).toBe("insufficient_scope");
  });

  it("a keys-scoped key manages keys but cannot mint scopes it lacks", async () => {
    const key = (await createKey({ name: "key manager", scopes: ["keys"] })).body.data.key;
    expect((await createKey({ name: "child", scopes: ["keys"] }, key)).status).toBe(201);
    const escalated = await createKey({ name: "child", scopes: ["removal"] }, key);
    expect([escalated.status, escalated.body.error.code]).toEqual([403, "INSUFFICIENT_SCOPE"]);
  });

  it("refuses unknown scopes and empty names with 400, naming the choices", async () => {
    const unknown = await createKey({ name: "x", scopes: ["admin"] });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, "INVALID_OPTIONS"]);
    expect(unknown.body.error.message).toMatch(/removal, billing, keys/);
    expect((await createKey({ name: " " })).status).toBe(400);
  });

  it("revocation takes effect on the next request; another user's key is a 404", async () => {
    const { body } = await createKey({ name: "to revoke" });
    const key = body.data.key;
    expect((await call("/me", key)).status).toBe(200);
    const other = await server.userWithCredits("stranger", 0);
    expect((await call(`/api-keys/${body.data.id}`, other, { method: "DELETE" })).status).toBe(404);
    expect((await call("/me", key)).status).toBe(200);

    const revoked = await call(`/api-keys/${body.data.id}`, token, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(revoked.body.data.revokedAt).toBe(clock.toISOString());
    expect((await call("/me", key)).status).toBe(401);
    expect((await trpc("account.me", key)).status).toBe(401);
    expect((await call(`/api-keys/${body.data.id}`, token, { method: "DELETE" })).status).toBe(200);
  });
});

describe("API keys over tRPC", () => {
  it("create, list and revoke, with the same scope refusal", async () => {
    const created = await trpc("apiKeys.create", token, { name: "typed", scopes: ["removal"] }, true);
    expect(created.status).toBe(200);
    const key = created.body.result.data.key as string;
    const listed = await trpc("apiKeys.list", token);
    expect(listed.body.result.data.map((k: any) => k.id)).toContain(created.body.result.data.id);

    for (const [procedure, input, mutation] of [
      ["subscription.get", undefined, false],
      ["subscription.subscribe", { plan: "starter" }, true],
      ["apiKeys.list", undefined, false],
    ] as const) {
      const refused = await trpc(procedure, key, input, mutation);
      expect({ procedure, status: refused.status, domainCode: refused.body.error.data.domainCode }).toEqual({
        procedure,
        status: 403,
        domainCode: "INSUFFICIENT_SCOPE",
      });
    }
    expect((await trpc("jobs.list", key, {})).status).toBe(200);

    expect((await trpc("apiKeys.revoke", token, { keyId: created.body.result.data.id }, true)).status).toBe(200);
    expect((await trpc("jobs.list", key, {})).status).toBe(401);
  });
});
