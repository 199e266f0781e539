import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where `pnpm --filter @bgr/web build` writes the web app. */
export const WEB_DIST_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../web/dist");

/**
 * Serves the built web app at / when the build exists (a server without it stays an API-only server).
 * Hashed assets are cached for a year; index.html never, so a new build is picked up on reload.
 */
export async function registerWebApp(app: FastifyInstance, root: string = WEB_DIST_DIR): Promise<boolean> {
  if (!existsSync(path.join(root, "index.html"))) return false;
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    setHeaders(res, filePath) {
      const immutable = filePath.startsWith(path.join(root, "assets") + path.sep);
      res.setHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  return true;
}

/** Client-side routes (/history, /batch/…) load index.html; API paths and non-HTML requests keep their JSON 404. */
export function isWebAppNavigation(request: FastifyRequest): boolean {
  return (
    (request.method === "GET" || request.method === "HEAD") &&
    !request.url.startsWith("/api/") &&
    (request.headers.accept ?? "").includes("text/html")
  );
}

export function sendWebApp(reply: FastifyReply) {
  return reply.header("Cache-Control", "no-cache").sendFile("index.html");
}
