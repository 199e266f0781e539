import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../deps.ts";

const CHECK_TIMEOUT_MS = 3000;

/**
 * GET /health: the process answers (liveness; restart it if not). GET /health/ready: it can serve,
 * the database and the queue both answer within 3 s (readiness; route traffic elsewhere if not).
 */
export function healthRoutes(app: FastifyInstance, deps: ServerDeps) {
  app.get("/health", async () => ({ status: "ok" }));
  app.get("/health/ready", async (_request, reply) => {
    const entries = await Promise.all(Object.entries(deps.readiness).map(async ([name, check]) => [name, await settle(check)] as const));
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, state]) => state === "ok");
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "unavailable", checks });
  });
}

async function settle(check: () => Promise<unknown>): Promise<"ok" | "unreachable"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS)));
  try {
    await Promise.race([check(), timeout]);
    return "ok";
  } catch {
    return "unreachable";
  } finally {
    clearTimeout(timer);
  }
}
