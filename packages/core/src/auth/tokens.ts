import { jwtVerify, SignJWT } from "jose";

export type Role = "user" | "admin";

export interface Principal {
  userId: string;
  role: Role;
  /** How the caller proved who they are. */
  via: "jwt" | "api-key";
  /** An API key's default tier, when it was created with one. */
  defaultTier?: string | null;
}

/** Verifies a platform access token: HS256, `sub` = user id, optional `role`. Null when invalid or expired. */
export async function verifyAccessToken(token: string, secret: string): Promise<Omit<Principal, "via"> | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ["HS256"] });
    if (typeof payload.sub !== "string" || payload.sub.length === 0) return null;
    return { userId: payload.sub, role: payload.role === "admin" ? "admin" : "user" };
  } catch {
    return null;
  }
}

/** Issues a token the way the platform does (admin CLI, dev sign-in, tests). */
export async function issueAccessToken(userId: string, role: Role, secret: string, ttlSeconds = 30 * 24 * 3600): Promise<string> {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}
