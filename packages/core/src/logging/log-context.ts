import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What every log line written while handling one HTTP request or one queue job carries: the request's
 * id (kept across the jobs it enqueues, and the jobs those enqueue) and the job's queue and ids.
 */
export interface LogContext {
  requestId?: string;
  [field: string]: string | undefined;
}

const current = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` added to the current context; everything `fn` awaits or schedules sees them. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return current.run({ ...current.getStore(), ...fields }, fn);
}

export function currentLogContext(): LogContext {
  return current.getStore() ?? {};
}
