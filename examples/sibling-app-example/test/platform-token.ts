import { createHmac } from "node:crypto";

/**
 * A platform access token as any Lumiku app that shares the platform secret mints one: an HS256
 * JWT whose `sub` is the user id (the claims packages/core/src/auth/tokens.ts checks). Plain
 * node:crypto, so the example does not borrow the server's own token code.
 */
export function platformToken(userId: string, secret: string, ttlSeconds = 600): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signingInput = `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: userId, role: "user", iat: now, exp: now + ttlSeconds })}`;
  return `${signingInput}.${createHmac("sha256", secret).update(signingInput).digest("base64url")}`;
}
