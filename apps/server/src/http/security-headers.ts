import helmet from "@fastify/helmet";
import type { FastifyInstance, FastifyReply } from "fastify";

/**
 * The web app's policy: everything from this origin, images also from blob: (previews of chosen files)
 * and data: (inline icons); no plugins, no framing by other sites. `upgrade-insecure-requests` is left
 * out on purpose: a self-hosted server on plain HTTP (LAN, 127.0.0.1) would break its own assets.
 */
const WEB_APP_CSP = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

/** Security headers on every answer (nosniff, frame-ancestors, the CSP, Referrer-Policy, …). */
export async function registerSecurityHeaders(app: FastifyInstance) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: WEB_APP_CSP },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    // Result links are meant for <img> tags of the other Lumiku apps; sendStoredFile opens them up.
    crossOriginResourcePolicy: { policy: "same-origin" },
  });
}

/**
 * Headers for user uploads and results: never sniffed into HTML, and sandboxed with no sources at
 * all should a browser render one as a document; embeddable cross-origin as an image.
 */
export function storedFileHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header("X-Content-Type-Options", "nosniff")
    .header("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    .header("Cross-Origin-Resource-Policy", "cross-origin");
}
