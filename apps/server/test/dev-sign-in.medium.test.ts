import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";

let plain: TestServer;
let dev: TestServer;

beforeAll(async () => {
  plain = await startTestServer();
  dev = await startTestServer({ BGR_MODE: "development" });
});
afterAll(async () => {
  await plain?.close();
  await dev?.close();
});

async function signIn(server: TestServer) {
  const response = await fetch(`${server.api}/dev/sign-in`, { method: "POST" });
  return { status: response.status, body: (await response.json()) as any };
}

describe("dev sign-in", () => {
  it("does not exist in production mode (the default)", async () => {
    expect((await signIn(plain)).status).toBe(404);
    expect((await fetch(`${plain.api}/dev/sign-in`)).status).toBe(404);
  });

  it("signs in as demo with 100 credits the first time only", async () => {
    expect(await (await fetch(`${dev.api}/dev/sign-in`)).json()).toEqual({ success: true, data: { available: true } });
    const first = await signIn(dev);
    expect(first.status).toBe(200);
    const me = async (token: string) =>
      ((await (await fetch(`${dev.api}/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as any).data;
    expect(await me(first.body.data.token)).toMatchObject({ userId: "demo", creditBalance: 100 });

    const second = await signIn(dev);
    expect(await me(second.body.data.token)).toMatchObject({ userId: "demo", creditBalance: 100 });
  });
});

describe("web app routes", () => {
  it("keeps JSON 404s for API paths and for clients that do not ask for HTML", async () => {
    const api = await fetch(`${dev.url}/api/apps/background-remover/nope`, { headers: { accept: "text/html" } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as any).error.code).toBe("NOT_FOUND");
    const json = await fetch(`${dev.url}/no-such-page`, { headers: { accept: "application/json" } });
    expect(json.status).toBe(404);
  });
});
