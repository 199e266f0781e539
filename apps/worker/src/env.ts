import os from "node:os";
import { infrastructureEnvSchema, parseInfrastructureEnv } from "@bgr/runtime";
import { z } from "zod";

// Without DATABASE_URL the worker joins the embedded PostgreSQL a server on this machine serves from DATA_DIR.
const schema = infrastructureEnvSchema.extend({
  /** Names this process in job rows (which machine did the work). */
  WORKER_ID: z.string().default(`${os.hostname()}:${process.pid}`),
});

export type WorkerEnv = ReturnType<typeof readWorkerEnv>;

/** The only reader of process.env in the worker. */
export function readWorkerEnv(source: NodeJS.ProcessEnv = process.env) {
  return parseInfrastructureEnv(schema, source);
}
