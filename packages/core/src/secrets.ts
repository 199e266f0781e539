import { createHmac, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Purpose-specific keys derived from the platform's token secret, so a leaked callback signature
 * cannot be replayed as a token. Server and workers derive the same keys.
 */
export function deriveSecrets(jwtSecret: string) {
  const derive = (purpose: string) => createHmac("sha256", jwtSecret).update(purpose).digest("base64url");
  return { callbacks: derive("callbacks"), sealing: derive("sealed-credentials") };
}

/**
 * The key of signed file links, from a secret of its own: the platform's JWT secret is shared with
 * the other Lumiku apps, and whoever holds it must not be able to mint links to our users' files.
 */
export function fileLinkSigningKey(fileLinkSecret: string): string {
  return createHmac("sha256", fileLinkSecret).update("file-links").digest("base64url");
}

/**
 * Every secret a process that signs links needs (server, worker): configured ones, else (development
 * mode) random ones kept in DATA_DIR. In production they must be configured, the same everywhere.
 */
export async function deploymentSecrets(env: {
  BGR_MODE: "production" | "development";
  JWT_SECRET?: string;
  FILE_LINK_SECRET?: string;
  DATA_DIR: string;
}) {
  if (env.BGR_MODE === "production" && !env.FILE_LINK_SECRET) {
    throw new Error(
      "FILE_LINK_SECRET is required in production: set a random secret of at least 16 characters (e.g. `openssl rand -base64 32`), the same on every server and worker.",
    );
  }
  const jwtSecret = env.JWT_SECRET ?? (await developmentSecret(env.DATA_DIR));
  const fileLinkSecret = env.FILE_LINK_SECRET ?? (await developmentSecret(env.DATA_DIR, "file-link-secret"));
  // CSRF tokens, like file links, hang on this deployment's own secret, not the platform's shared one.
  const csrf = createHmac("sha256", fileLinkSecret).update("csrf-tokens").digest("base64url");
  return { jwtSecret, urlSigning: fileLinkSigningKey(fileLinkSecret), csrf, ...deriveSecrets(jwtSecret) };
}

/** A development-mode secret: random, made once and kept under the data directory. */
export async function developmentSecret(dataDir: string, name = "dev-jwt-secret"): Promise<string> {
  const file = path.join(dataDir, name);
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const secret = randomBytes(32).toString("base64url");
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600, flag: "wx" }).catch(() => undefined);
    return (await readFile(file, "utf8")).trim();
  }
}
