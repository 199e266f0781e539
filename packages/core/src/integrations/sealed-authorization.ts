import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * A pipeline job keeps the caller's Authorization header until its worker has called the upscaler on
 * their behalf. It is stored sealed (AES-256-GCM under a key derived from the deployment secret), so a
 * database dump alone does not hand out users' tokens; the settlement deletes it.
 */
export class AuthorizationSealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash("sha256").update(secret).digest();
  }

  seal(authorization: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(authorization, "utf8"), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((part) => part.toString("base64url")).join(".");
  }

  /** Throws when the value was not sealed with this deployment's secret (or was altered). */
  open(sealed: string): string {
    const [iv, tag, body] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
    if (!iv || !tag || !body) throw new Error("Sealed credential is malformed.");
    const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  }
}
