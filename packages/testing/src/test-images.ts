import sharp from "sharp";

/** A `Bearer <JWT>` whose payload's `sub` is `userId`. Unsigned in effect: the fake reads `sub` without verifying. */
export function fakeBearerToken(userId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `Bearer ${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: userId })}.not-verified`;
}

/** The fake's default `ownerOf`: the `sub` of a `Bearer <JWT>`'s payload, unverified; null when there is none. */
export function ownerFromBearerJwt(authorization: string | undefined): string | null {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  const payload = token?.split(".")[1];
  if (!payload) return null;
  try {
    const sub = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown }).sub;
    return typeof sub === "string" && sub ? sub : null;
  } catch {
    return null;
  }
}

/** A real, solid-colour PNG. */
export function makePng(width = 8, height = 8, colour = "#3366cc"): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: colour } })
    .png()
    .toBuffer();
}

/** `size` bytes starting with a PNG signature (zeros after it): enough to pass a magic-bytes check, for size-cap tests. */
export function oversizedPng(size = 10 * 1024 * 1024 + 1): Buffer {
  const bytes = Buffer.alloc(size);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return bytes;
}
