export { openDatabase } from "./database.ts";
export type { DatabaseConnectOptions, EmbeddedMode, OpenDatabase } from "./database.ts";
export { infrastructureEnvSchema, parseInfrastructureEnv } from "./env.ts";
export type { InfrastructureEnv } from "./env.ts";
export { createInfrastructure } from "./infrastructure.ts";
export type { Infrastructure, InfrastructureOptions } from "./infrastructure.ts";
export { startNotifications, startWorkerProcess } from "./workers.ts";
export type { WorkerProcessOptions } from "./workers.ts";
