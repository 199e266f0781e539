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

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    app.log.info(`${signal}: shutting down`);
    await app.close();
    await runtime.close();
    process.exit(0);
  });
}
