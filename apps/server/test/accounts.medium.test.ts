import { issueAccessToken, LOGIN_THROTTLE, verifyPassword } from "@bgr/core";
import { users } from "@bgr/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ SIGNUP_MODE: "open" });
});
afterAll(() => server?.close());

interface Reply {
  status: number;
  body: any;
  cookie: string | null;
  setCookie: string | null;
}

async function call(
  method: string,
  route: string,
  options: { body?: unknown; cookie?: string | null; csrf?: string; bearer?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers["x-csrf-token"] = options.csrf;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const response = await fetch(`${server.api}${route}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const setCookie = response.headers.get("set-cookie");
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, setCookie, cookie: setCookie ? setCookie.split(";")[0]! : null };
}

const PASSWORD = "correct horse battery";

describe("standalone accounts", () => {
  it("signs up with a scrypt hash (salt and parameters in the string) and an HttpOnly SameSite session cookie", async () => {
    const up = await call("POST", "/auth/sign-up", { body: { email: "Ana@Example.com", password: PASSWORD } });
    expect(up.status).toBe(201);
    expect(up.setCookie).toMatch(/^bgr_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    expect(up.setCookie).not.toContain("Secure"); // plain http here; Secure on https
    expect(up.body.data.account).toMatchObject({ email: "ana@example.com", role: "user" });
    const [row] = await server.database.db.select().from(users).where(eq(users.email, "ana@example.com"));
    expect(row!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword(PASSWORD, row!.passwordHash!)).toBe(true);

    const session = await call("GET", "/auth/session", { cookie: up.cookie });
    expect(session.status).toBe(200);
    expect(session.body.data).toMatchObject({ via: "session", account: { creditBalance: 0 }, csrfToken: up.body.data.csrfToken });
    const again = await call("POST", "/auth/sign-up", { body: { email: "ana@example.com", password: PASSWORD } });
    expect(again.status).toBe(409);
    const weak = await call("POST", "/auth/sign-up", { body: { email: "weak@example.com", password: "short" } });
    expect(weak.status).toBe(400);
  });

  it("two users get different salts for the same password", async () => {
    await call("POST", "/auth/sign-up", { body: { email: "salt1@example.com", password: PASSWORD } });
    await call("POST", "/auth/sign-up", { body: { email: "salt2@example.com", password: PASSWORD } });
    const rows = await server.database.db.select({ hash: users.passwordHash, email: users.email }).from(users);
    const [a, b] = ["salt1@example.com", "salt2@example.com"].map((e) => rows.find((r) => r.email === e)!.hash!);
    expect(a!.split("$")[4]).not.toBe(b!.split("$")[4]);
  });

  it("a wrong password and an unknown email get the same 401; sign-in works with the right one", async () => {
    await call("POST", "/auth/sign-up", { body: { email: "ben@example.com", password: PASSWORD } });
    const wrong = await call("POST", "/auth/sign-in", { body: { email: "ben@example.com", password: "not the password" } });
    const unknown = await call("POST", "/auth/sign-in", { body: { email: "nobody@example.com", password: "not the password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    expect(wrong.cookie).toBeNull();
    const right = await call("POST", "/auth/sign-in", { body: { email: "BEN@example.com", password: PASSWORD } });
    expect(right.status).toBe(200);
    expect(right.cookie).toMatch(/^bgr_session=/);
  });

  it("cookie-authenticated changes need the CSRF token; reads and bearer calls do not", async () => {
    const up = await call("POST", "/auth/sign-up", { body: { email: "csrf@example.com", password: PASSWORD } });
    const noToken = await call("POST", "/credits/purchases", { cookie: up.cookie, body: { pack: "pack_100" } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.message).toContain("X-CSRF-Token");
    const forged = await call("POST", "/credits/purchases", { cookie: up.cookie, csrf: "x".repeat(43), body: { pack: "pack_100" } });
    expect(forged.status).toBe(403);
    const ok = await call("POST", "/credits/purchases", { cookie: up.cookie, csrf: up.body.data.csrfToken, body: { pack: "pack_100" } });
    expect(ok.status).toBe(201);
    expect((await call("GET", "/payments", { cookie: up.cookie })).status).toBe(200);
    // The platform JWT path is unchanged.
    const jwt = await server.token("platform-user");
    expect((await call("POST", "/credits/purchases", { bearer: jwt, body: { pack: "pack_100" } })).status).toBe(201);
  });

  it("throttles failed sign-ins per account without revealing whether it exists", async () => {
    await call("POST", "/auth/sign-up", { body: { email: "cara@example.com", password: PASSWORD } });
    for (const email of ["cara@example.com", "ghost@example.com"]) {
      for (let i = 0; i < LOGIN_THROTTLE.perAccount; i++) {
        expect((await call("POST", "/auth/sign-in", { body: { email, password: "wrong password!" } })).status).toBe(401);
      }
    }
    const real = await call("POST", "/auth/sign-in", { body: { email: "cara@example.com", password: PASSWORD } });
    const ghost = await call("POST", "/auth/sign-in", { body: { email: "ghost@example.com", password: PASSWORD } });
    expect(real.status).toBe(429);
    expect(ghost.status).toBe(429);
    expect(real.body.error.message).toBe(ghost.body.error.message);
    expect(real.cookie).toBeNull();
  });

  it("signs out here, and everywhere", async () => {
    const up = await call("POST", "/auth/sign-up", { body: { email: "dan@example.com", password: PASSWORD } });
    const other = await call("POST", "/auth/sign-in", { body: { email: "dan@example.com", password: PASSWORD } });
    const third = await call("POST", "/auth/sign-in", { body: { email: "dan@example.com", password: PASSWORD } });
    const out = await call("POST", "/auth/sign-out", { cookie: up.cookie, csrf: up.body.data.csrfToken });
    expect(out.status).toBe(200);
    expect(out.setCookie).toContain("Max-Age=0");
    expect((await call("GET", "/auth/session", { cookie: up.cookie })).status).toBe(401);
    expect((await call("GET", "/auth/session", { cookie: other.cookie })).status).toBe(200);
    const everywhere = await call("POST", "/auth/sign-out-everywhere", { cookie: other.cookie, csrf: other.body.data.csrfToken });
    expect(everywhere.body.data.ended).toBe(2);
    expect((await call("GET", "/auth/session", { cookie: other.cookie })).status).toBe(401);
    expect((await call("GET", "/auth/session", { cookie: third.cookie })).status).toBe(401);
  });

  it("resets a password through the mail outbox; the token works once; the answer never says if the email exists", async () => {
    const up = await call("POST", "/auth/sign-up", { body: { email: "eve@example.com", password: PASSWORD } });
    const outbox = server.runtime.deps.outbox!.sent;
    const before = outbox.length;
    const unknown = await call("POST", "/auth/password-reset", { body: { email: "nobody@example.com" } });
    const known = await call("POST", "/auth/password-reset", { body: { email: "eve@example.com" } });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    expect(outbox.length).toBe(before + 1);
    const mail = outbox.at(-1)!;
    expect(mail.to).toBe("eve@example.com");
    const token = /token=([\w-]+)/.exec(mail.text)![1]!;

    const reset = await call("POST", "/auth/password-reset/confirm", { body: { token, password: "a brand new password" } });
    expect(reset.status).toBe(200);
    const reused = await call("POST", "/auth/password-reset/confirm", { body: { token, password: "yet another password" } });
    expect(reused.status).toBe(400);
    expect((await call("GET", "/auth/session", { cookie: up.cookie })).status).toBe(401); // old sessions ended
    expect((await call("POST", "/auth/sign-in", { body: { email: "eve@example.com", password: PASSWORD } })).status).toBe(401);
    expect((await call("POST", "/auth/sign-in", { body: { email: "eve@example.com", password: "a brand new password" } })).status).toBe(
      200,
    );
  });
});

describe("sign-up modes", () => {
  it("invite-only lets in only emails an admin invited", async () => {
    const invite = await startTestServer({ SIGNUP_MODE: "invite" }, server.database);
    try {
      const refused = await fetch(`${invite.api}/auth/sign-up`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "guest@example.com", password: PASSWORD }),
      });
      expect(refused.status).toBe(403);
      const admin = await issueAccessToken("admin-accounts", "admin", invite.runtime.jwtSecret);
      const invited = await fetch(`${invite.api}/admin/invitations`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
        body: JSON.stringify({ email: "guest@example.com" }),
      });
      expect(invited.status).toBe(201);
      const joined = await fetch(`${invite.api}/auth/sign-up`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "guest@example.com", password: PASSWORD }),
      });
      expect(joined.status).toBe(201);
    } finally {
      await invite.close();
    }
  });
});
