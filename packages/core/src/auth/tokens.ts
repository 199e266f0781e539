import type { ApiKeyScope } from "@bgr/domain";
import { jwtVerify, SignJWT } from "jose";

export type Role = "user" | "admin";

export interface Principal {
  userId: string;
  role: Role;
  /** How the caller proved who they are. */
  via: "jwt" | "api-key" | "session";
  /** An API key's default tier, when it was created with one. */
  defaultTier?: string | null;
  /** What the credential may do: an API key's scopes; every scope for a person (platform token or session). */
  scopes: readonly ApiKeyScope[];
}

/** The `iss` and `aud` the platform's tokens must carry, where the deployment configures them. */
export interface TokenClaims {
  issuer?: string;
  audience?: string;
}

/**
 * Verifies a platform access token: HS256, `sub` = user id, optional `role`, an `exp` (a token that
 * never expires is refused), and `iss`/`aud` when configured. Null when invalid or expired.
 */
export async function verifyAccessToken(
  token: string,
  secret: string,
  expected: TokenClaims = {},
): Promise<Omit<Principal, "via" | "scopes"> | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ["HS256"],
      requiredClaims: ["exp"],
      ...(expected.issuer ? { issuer: expected.issuer } : {}),
      ...(expected.audience ? { audience: expected.audience } : {}),
    });
    if (typeof payload.sub !== "string" || payload.sub.length === 0) return null;
    return { userId: payload.sub, role: payload.role === "admin" ? "admin" : "user" };
  } catch {
    return null;
  }
}

/** Issues a token the way the platform does (admin CLI, dev sign-in, tests), with the configured `iss`/`aud`. */
export async function issueAccessToken(
  userId: string,
  role: Role,
  secret: string,
  ttlSeconds = 30 * 24 * 3600,
  claims: TokenClaims = {},
): Promise<string> {
  const token = new SignJWT({ role })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  if (claims.issuer) token.setIssuer(claims.issuer);
  if (claims.audience) token.setAudience(claims.audience);
  return token.sign(new TextEncoder().encode(secret));
}
