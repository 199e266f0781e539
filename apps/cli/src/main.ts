import path from "node:path";
import { createEngine } from "@bgr/engine";
import { parseCommand, UsageError, USAGE, type Command, type EngineArgs } from "./args.ts";
import { readEnv, type CliEnv } from "./env.ts";
import { runModels } from "./models-command.ts";
import { runPull } from "./pull-command.ts";
import { runRemove } from "./remove-command.ts";

/** Entry point: parse, build the engine (the process's one singleton), dispatch. Returns the exit code. */
async function main(argv: string[], env: CliEnv): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bgr: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const resolve = (p: string) => path.resolve(env.invocationDir, p);
  const engineFor = (args: EngineArgs) =>
    createEngine({
      cacheDir: resolve(args.cacheDir ?? env.modelCacheDir),
      modelDirs: args.modelDirs.map(resolve),
      ...(args.threads ? { intraOpThreads: args.threads } : {}),
    });
  switch (command.kind) {
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case "models":
      return runModels(await engineFor(command.engine), process.stdout);
    case "pull": {
      const cacheDir = resolve(command.cacheDir ?? env.modelCacheDir);
      return runPull({ ...command, cacheDir }, () => createEngine({ cacheDir }), { stdout: process.stdout, stderr: process.stderr });
    }
    case "remove":
      return runRemove(
        await engineFor(command.engine),
        { inputs: command.inputs, baseDir: env.invocationDir, outDir: resolve(command.outDir), options: command.options },
        process.stderr,
      );
  }
}

try {
  process.exitCode = await main(process.argv.slice(2), readEnv());
} catch (error) {
  // Start-up failures (a broken models.json, an unreadable directory): one line, no stack trace.
  process.stderr.write(`bgr: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
