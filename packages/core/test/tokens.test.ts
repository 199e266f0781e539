import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { fileLinkSigningKey, deploymentSecrets } from "../src/secrets.ts";
import { issueAccessToken, verifyAccessToken } from "../src/auth/tokens.ts";

const SECRET = "a-platform-secret-of-some-length";
const key = new TextEncoder().encode(SECRET);

describe("verifyAccessToken", () => {
  it("accepts a platform token with sub and exp", async () => {
    expect(await verifyAccessToken(await issueAccessToken("ana", "user", SECRET), SECRET)).toEqual({ userId: "ana", role: "user" });
  });

  it("refuses a token without exp (it would never expire)", async () => {
    const forever = await new SignJWT({ role: "admin" }).setProtectedHeader({ alg: "HS256" }).setSubject("ana").setIssuedAt().sign(key);
    expect(await verifyAccessToken(forever, SECRET)).toBeNull();
  });

  it("checks iss and aud when configured, and only then", async () => {
    const expected = { issuer: "https://lumiku.example", audience: "background-remover" };
    const right = await issueAccessToken("ana", "user", SECRET, 60, expected);
    expect(await verifyAccessToken(right, SECRET, expected)).toEqual({ userId: "ana", role: "user" });
    expect(await verifyAccessToken(await issueAccessToken("ana", "user", SECRET, 60), SECRET, expected)).toBeNull();
    expect(
      await verifyAccessToken(
        await issueAccessToken("ana", "user", SECRET, 60, { ...expected, issuer: "https://evil.example" }),
        SECRET,
        expected,
      ),
    ).toBeNull();
    expect(
      await verifyAccessToken(
        await issueAccessToken("ana", "user", SECRET, 60, { ...expected, audience: "another-app" }),
        SECRET,
        expected,
      ),
    ).toBeNull();
    // Not configured: a token with or without them passes.
    expect(await verifyAccessToken(right, SECRET)).not.toBeNull();
  });

  it("refuses an expired token and another algorithm", async () => {
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("ana")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(key);
    expect(await verifyAccessToken(expired, SECRET)).toBeNull();
    const hs512 = await new SignJWT({}).setProtectedHeader({ alg: "HS512" }).setSubject("ana").setExpirationTime("1h").sign(key);
    expect(await verifyAccessToken(hs512, SECRET)).toBeNull();
  });
});

describe("the file-link key", () => {
  it("comes from its own secret, not from the platform's JWT secret", async () => {
    const secrets = await deploymentSecrets({
      BGR_MODE: "production",
      JWT_SECRET: SECRET,
      FILE_LINK_SECRET: "the-deployment-link-secret",
      DATA_DIR: "/nonexistent",
    });
    expect(secrets.urlSigning).toBe(fileLinkSigningKey("the-deployment-link-secret"));
    expect(secrets.urlSigning).not.toBe(fileLinkSigningKey(SECRET));
    expect(Object.values(secrets)).not.toContain(fileLinkSigningKey(SECRET));
  });

  it("is required in production, where processes on several machines must agree on it", async () => {
    await expect(deploymentSecrets({ BGR_MODE: "production", JWT_SECRET: SECRET, DATA_DIR: "/nonexistent" })).rejects.toThrow(
      /FILE_LINK_SECRET is required/,
    );
  });
});
