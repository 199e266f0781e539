import { API_KEY_SCOPES } from "@bgr/domain";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { newId, type Database, type UserRole } from "@bgr/db";
import { DomainError, rateLimited } from "@bgr/domain";
import type { Principal } from "../auth/tokens.ts";
import { userRepository } from "../users/user.repository.ts";
import { accountRepository } from "./account.repository.ts";
import type { Mailer } from "./mailer.ts";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "./password.ts";

/** Who may create a standalone account: anyone, only invited emails, or nobody (platform sign-in only). */
export const SIGNUP_MODES = ["open", "invite", "off"] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];

export interface AccountsServiceDeps {
  db: Database;
  mailer: Mailer;
  now: () => Date;
  signupMode: SignupMode;
  /** Keys the CSRF tokens (derived from the session token, so there is nothing extra to store). */
  csrfSecret: string;
  /** Base URL of the web app, for the link in reset mails. */
  appUrl: string;
  sessionDays?: number;
}

/** Failed sign-ins allowed per window before further tries are refused for a while. */
export const LOGIN_THROTTLE = { windowSeconds: 15 * 60, perAccount: 5, perIp: 30 } as const;
const RESET_TOKEN_MINUTES = 30;
const MIN_PASSWORD = 10;
const MAX_PASSWORD = 200;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// One answer for every bad sign-in, so the response never says whether an email has an account.
const WRONG_CREDENTIALS = "Email or password is wrong. Try again, or reset your password.";

export interface SignedIn {
  /** Goes into the HttpOnly session cookie; never shown to scripts. */
  sessionToken: string;
  expiresAt: Date;
  /** Send back as X-CSRF-Token with every cookie-authenticated change. */
  csrfToken: string;
  account: { userId: string; email: string; role: UserRole };
}

/** Standalone accounts: sign-up, sign-in, sessions, CSRF tokens, password reset. The platform JWT does not come here. */
export class AccountsService {
  constructor(private readonly deps: AccountsServiceDeps) {}

  get signupMode(): SignupMode {
    return this.deps.signupMode;
  }

  async signUp(input: { email: string; password: string }): Promise<SignedIn> {
    const { db, signupMode } = this.deps;
    if (signupMode === "off")
      throw new DomainError("FORBIDDEN", "This deployment has no self sign-up: sign in through the platform, or ask an admin.");
    const email = normaliseEmail(input.email);
    assertPassword(input.password);
    const passwordHash = await hashPassword(input.password);
    const existing = await userRepository.findByEmail(db, email);
    if (signupMode === "invite") {
      // An invitation is a user row an admin created with this email and no password yet.
      if (!existing || existing.passwordHash)
        throw new DomainError("FORBIDDEN", "Sign-up here is by invitation: ask an admin to invite this email, then sign up with it.");
      await userRepository.setFirstPasswordHash(db, existing.id, passwordHash);
      return this.startSession(existing.id);
    }
    if (existing) throw new DomainError("CONFLICT", "An account with this email exists. Sign in, or reset its password.");
    const created = await userRepository.insertWithEmail(db, { id: newId("usr"), email, passwordHash });
    if (!created) throw new DomainError("CONFLICT", "An account with this email exists. Sign in, or reset its password.");
    return this.startSession(created);
  }

  async signIn(input: { email: string; password: string; ip: string }): Promise<SignedIn> {
    const email = typeof input.email === "string" ? input.email.trim().toLowerCase() : "";
    const keys = [`email:${email}`, `ip:${input.ip}`];
    await this.assertNotThrottled(email, input.ip);
    const user = email ? await userRepository.findByEmail(this.deps.db, email) : null;
    const ok = await verifyPassword(String(input.password ?? ""), user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user?.passwordHash || !ok) {
      await accountRepository.recordLoginFailures(this.deps.db, keys, this.deps.now());
      throw new DomainError("UNAUTHORIZED", WRONG_CREDENTIALS);
    }
    return this.startSession(user.id);
  }

  /** The cookie's owner, or null for an unknown, expired or revoked session. */
  async principalForSession(sessionToken: string): Promise<Principal | null> {
    const row = await accountRepository.liveSessionOwner(this.deps.db, sha256(sessionToken), this.deps.now());
    return row ? { userId: row.userId, role: row.role, via: "session", scopes: API_KEY_SCOPES } : null;
  }

  csrfTokenFor(sessionToken: string): string {
    return createHmac("sha256", this.deps.csrfSecret).update(`csrf:${sessionToken}`).digest("base64url");
  }

  /** Cookie-authenticated changes must carry the session's CSRF token, which a cross-site page cannot read. */
  assertCsrf(sessionToken: string, given: string | undefined): void {
    const expected = Buffer.from(this.csrfTokenFor(sessionToken));
    const actual = Buffer.from(given ?? "");
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      throw new DomainError(
        "FORBIDDEN",
        "Missing or wrong X-CSRF-Token: send the csrfToken from GET /auth/session with every change made with the session cookie.",
      );
    }
  }

  async signOut(sessionToken: string): Promise<void> {
    await accountRepository.revokeSession(this.deps.db, sha256(sessionToken), this.deps.now());
  }

  /** Ends every session of the user (all browsers, all devices). */
  async signOutEverywhere(userId: string): Promise<{ ended: number }> {
    return { ended: await accountRepository.revokeSessionsOf(this.deps.db, userId, this.deps.now()) };
  }

  /** Always answers the same; only an existing password account gets a mail. */
  async requestPasswordReset(rawEmail: string): Promise<void> {
    const email = typeof rawEmail === "string" ? rawEmail.trim().toLowerCase() : "";
    const user = email ? await userRepository.findByEmail(this.deps.db, email) : null;
    if (!user?.passwordHash) return;
    const token = randomBytes(32).toString("base64url");
    const now = this.deps.now();
    await accountRepository.insertPasswordReset(this.deps.db, {
      userId: user.id,
      tokenHash: sha256(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000),
    });
    await this.deps.mailer.send({
      to: email,
      subject: "Reset your Background Remover password",
      text: `Someone asked to reset the password of this account. To choose a new one, open ${this.deps.appUrl.replace(/\/$/, "")}/reset-password?token=${token} within ${RESET_TOKEN_MINUTES} minutes. If it was not you, ignore this mail.`,
    });
  }

  /** One UPDATE accepts the token, so it works once; every session of the account then ends. */
  async resetPassword(token: string, password: string): Promise<void> {
    assertPassword(password);
    const passwordHash = await hashPassword(password);
    const now = this.deps.now();
    const userId = await accountRepository.usePasswordReset(this.deps.db, sha256(String(token ?? "")), now);
    if (!userId) throw new DomainError("INVALID_OPTIONS", "This reset link is invalid, used or expired. Ask for a new one.");
    await userRepository.setPasswordHash(this.deps.db, userId, passwordHash);
    await this.signOutEverywhere(userId);
  }

  /** Invite-only sign-up: an admin names the email; the invitee signs up with it. */
  async invite(caller: Principal, rawEmail: string): Promise<{ email: string }> {
    if (caller.role !== "admin") throw new DomainError("FORBIDDEN", "Only an admin can invite. Ask an admin of this deployment.");
    const email = normaliseEmail(rawEmail);
    await userRepository.insertWithEmail(this.deps.db, { id: newId("usr"), email });
    return { email };
  }

  private async assertNotThrottled(email: string, ip: string): Promise<void> {
    const since = new Date(this.deps.now().getTime() - LOGIN_THROTTLE.windowSeconds * 1000);
    const counts = await accountRepository.loginFailuresSince(this.deps.db, [`email:${email}`, `ip:${ip}`], since);
    const of = (key: string) => counts.get(key) ?? 0;
    if (of(`email:${email}`) >= LOGIN_THROTTLE.perAccount || of(`ip:${ip}`) >= LOGIN_THROTTLE.perIp) {
      throw rateLimited(LOGIN_THROTTLE.windowSeconds);
    }
  }

  private async startSession(userId: string): Promise<SignedIn> {
    const token = randomBytes(32).toString("base64url");
    const now = this.deps.now();
    const expiresAt = new Date(now.getTime() + (this.deps.sessionDays ?? 30) * 86_400_000);
    await accountRepository.insertSession(this.deps.db, { userId, tokenHash: sha256(token), createdAt: now, expiresAt });
    const user = await userRepository.find(this.deps.db, userId);
    return {
      sessionToken: token,
      expiresAt,
      csrfToken: this.csrfTokenFor(token),
      account: { userId, email: user!.email!, role: user!.role },
    };
  }
}

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

function normaliseEmail(raw: unknown): string {
  const email = typeof raw === "string" ? raw.trim().toLowerCase() : "";
  if (!EMAIL.test(email) || email.length > 254)
    throw new DomainError("INVALID_OPTIONS", "Enter a valid email address, like name@example.com.");
  return email;
}

function assertPassword(password: unknown): asserts password is string {
  if (typeof password !== "string" || password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw new DomainError("INVALID_OPTIONS", `Choose a password of ${MIN_PASSWORD} to ${MAX_PASSWORD} characters.`);
  }
}
