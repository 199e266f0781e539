import { createHash, randomBytes } from "node:crypto";

const PREFIX = "bgr_";

/** A new API key: the secret is shown once; only its hash is stored. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(PREFIX);
}
