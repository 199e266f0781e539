import { setTimeout as sleep } from "node:timers/promises";
import { describeProviders } from "@bgr/providers";
import { buildServer } from "./app.ts";
import { createRuntime } from "./compose.ts";
import { readEnv } from "./env.ts";

const env = readEnv();
const runtime = await createRuntime(env);
const app = await buildServer(runtime.deps, {
  logger: true,
  timeouts: { headersSeconds: env.HTTP_HEADERS_TIMEOUT_SECONDS, requestSeconds: env.HTTP_REQUEST_TIMEOUT_SECONDS },
});
await app.listen({ port: env.PORT, host: env.HOST });
app.log.info(
  runtime.embedded
    ? `embedded PostgreSQL at ${runtime.databaseUrl} (data in ${env.DATA_DIR}); create a user with: pnpm admin create-user <id> --credits 100`
    : "connected to DATABASE_URL",
);
app.log.info(describeProviders(env.remoteProviders));

// Stop accepting, let in-flight requests finish within the grace, then stop the queue (an in-process
// worker gives back what it could not finish) and close the pools.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    app.log.info(`${signal}: shutting down (up to ${env.SHUTDOWN_GRACE_SECONDS} s for in-flight requests)`);
    await Promise.race([app.close(), sleep(env.SHUTDOWN_GRACE_SECONDS * 1000)]);
    await runtime.close();
    process.exit(0);
  });
}
