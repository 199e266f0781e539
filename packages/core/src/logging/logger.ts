import { pino, type Logger } from "pino";
import { currentLogContext } from "./log-context.ts";

export type { Logger };

/** JSON lines on stdout (pino, like the server's request log), each with the current request's and job's ids. */
export function createLogger(name: string, level: string = "info"): Logger {
  return pino({ name, level, mixin: () => ({ ...currentLogContext() }) });
}
