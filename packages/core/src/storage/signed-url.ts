import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Expiring links to stored objects: the key and expiry are signed with the server secret, so a link
 * works without a session (an <img> tag, a download manager) but only until it expires.
 */
export class UrlSigner {
  constructor(
    private readonly secret: string,
    private readonly basePath: string,
  ) {}

  sign(key: string, now: Date, ttlSeconds: number): string {
    const expires = Math.floor(now.getTime() / 1000) + ttlSeconds;
    return `${this.basePath}/${key.split("/").map(encodeURIComponent).join("/")}?expires=${expires}&signature=${this.signature(key, expires)}`;
  }

  verify(key: string, expires: number, signature: string, now: Date): boolean {
    if (!Number.isInteger(expires) || expires < now.getTime() / 1000) return false;
    const expected = Buffer.from(this.signature(key, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private signature(key: string, expires: number): string {
    return createHmac("sha256", this.secret).update(`${key}\n${expires}`).digest("base64url");
  }
}
