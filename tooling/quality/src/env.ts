/** The only reader of process.env in the quality tools. */

/** Where the user ran `pnpm eval` / `pnpm bench` from (pnpm runs us from tooling/quality and records it in INIT_CWD). */
export function invocationDir(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** This process's environment, for the servers and workers a benchmark starts (they read their own settings from it). */
export function inheritedEnv(): NodeJS.ProcessEnv {
  return { ...process.env };
}
