import { createTestDatabase, type TestDatabase } from "@bgr/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountsService, type SignupMode } from "../src/accounts/accounts.service.ts";
import { OutboxMailer } from "../src/accounts/mailer.ts";
import { hashPassword, verifyPassword } from "../src/accounts/password.ts";

let database: TestDatabase;
let clock = new Date("2026-05-01T00:00:00Z");
const outbox = new OutboxMailer();

function service(signupMode: SignupMode = "open") {
  return new AccountsService({
    db: database.db,
    mailer: outbox,
    now: () => clock,
    signupMode,
    csrfSecret: "csrf-secret-for-tests",
    appUrl: "http://app.test",
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

describe("passwords", () => {
  it("hash with a fresh salt each time and verify only the right password", async () => {
    const [a, b] = [await hashPassword("same password here"), await hashPassword("same password here")];
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password here", a)).toBe(true);
    expect(await verifyPassword("another password", a)).toBe(false);
    expect(await verifyPassword("same password here", "md5$garbage")).toBe(false);
  });
});

describe("AccountsService", () => {
  it("a reset token expires after 30 minutes", async () => {
    const accounts = service();
    await accounts.signUp({ email: "late@example.com", password: "first password!" });
    await accounts.requestPasswordReset("late@example.com");
    const token = /token=([\w-]+)/.exec(outbox.sent.at(-1)!.text)![1]!;
    clock = new Date(clock.getTime() + 31 * 60_000);
    await expect(accounts.resetPassword(token, "second password!")).rejects.toMatchObject({ code: "INVALID_OPTIONS" });
    await expect(accounts.signIn({ email: "late@example.com", password: "first password!", ip: "10.0.0.1" })).resolves.toBeTruthy();
  });

  it("sign-up off refuses everyone; a session expires", async () => {
    await expect(service("off").signUp({ email: "nobody@example.com", password: "long password!" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const accounts = service();
    const signedIn = await accounts.signUp({ email: "brief@example.com", password: "long password!" });
    expect(await accounts.principalForSession(signedIn.sessionToken)).toMatchObject({ via: "session", role: "user" });
    clock = new Date(clock.getTime() + 31 * 86_400_000);
    expect(await accounts.principalForSession(signedIn.sessionToken)).toBeNull();
  });

  it("the CSRF token is bound to its session", async () => {
    const accounts = service();
    const one = await accounts.signUp({ email: "csrf-a@example.com", password: "long password!" });
    const two = await accounts.signUp({ email: "csrf-b@example.com", password: "long password!" });
    expect(() => accounts.assertCsrf(one.sessionToken, one.csrfToken)).not.toThrow();
    expect(() => accounts.assertCsrf(one.sessionToken, two.csrfToken)).toThrow(/X-CSRF-Token/);
    expect(() => accounts.assertCsrf(one.sessionToken, undefined)).toThrow(/X-CSRF-Token/);
  });

  it("failed sign-ins past the window stop counting", async () => {
    const accounts = service();
    await accounts.signUp({ email: "window@example.com", password: "long password!" });
    for (let i = 0; i < 5; i++)
      await expect(accounts.signIn({ email: "window@example.com", password: "wrong one!!", ip: "10.0.0.2" })).rejects.toMatchObject({
        code: "UNAUTHORIZED",
      });
    await expect(accounts.signIn({ email: "window@example.com", password: "long password!", ip: "10.0.0.2" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    clock = new Date(clock.getTime() + 16 * 60_000);
    await expect(accounts.signIn({ email: "window@example.com", password: "long password!", ip: "10.0.0.2" })).resolves.toBeTruthy();
  });
});
