import { createHmac, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Purpose-specific keys derived from the one configured secret, so a leaked file link cannot be
 * replayed as a token or a callback signature. Server and workers derive the same keys.
 */
export function deriveSecrets(jwtSecret: string) {
  const derive = (purpose: string) => createHmac("sha256", jwtSecret).update(purpose).digest("base64url");
  return { urlSigning: derive("file-links"), callbacks: derive("callbacks"), sealing: derive("sealed-credentials") };
}

/** The embedded default's secret: random, made once and kept under the data directory. */
export async function developmentSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "dev-jwt-secret");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const secret = randomBytes(32).toString("base64url");
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600, flag: "wx" }).catch(() => undefined);
    return (await readFile(file, "utf8")).trim();
  }
}
