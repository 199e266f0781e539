import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { InvalidImageError, InvalidOptionsError, ModelUnavailableError, type RemovalEngine, type RemoveOptions } from "@bgr/engine";
import { assignOutputNames, expandInputs } from "./files.ts";
import { createProgress, formatDuration } from "./progress.ts";

export interface RemoveJob {
  /** Files and directories as the user typed them. */
  inputs: string[];
  /** Directory relative inputs are resolved against. */
  baseDir: string;
  /** Absolute output directory. */
  outDir: string;
  options: RemoveOptions;
}

/**
 * Processes the files one after another (the engine already uses every core for one image).
 * A file that fails is reported and skipped; a missing model stops the run, since every later
 * file would fail the same way. Returns the exit code: 0 all written, 1 anything failed.
 */
export async function runRemove(engine: RemovalEngine, job: RemoveJob, stderr: NodeJS.WriteStream): Promise<number> {
  const started = performance.now();
  const { files, problems, emptyDirs } = await expandInputs(job.inputs, job.baseDir);
  for (const { display, reason } of problems) stderr.write(`error: ${display}: ${reason}\n`);
  for (const dir of emptyDirs) stderr.write(`warning: ${dir}: no image files in this directory.\n`);
  if (files.length === 0) {
    stderr.write("error: nothing to process: name image files or directories that contain them.\n");
    return 1;
  }
  try {
    await mkdir(job.outDir, { recursive: true });
  } catch (error) {
    stderr.write(`error: cannot create output directory ${job.outDir}: ${oneLine(error)}\n`);
    return 1;
  }

  const format = job.options.format ?? "png";
  const inOutDir = new Set(files.filter((f) => path.dirname(f.path) === job.outDir).map((f) => path.basename(f.path)));
  const outputNames = assignOutputNames(
    files.map((f) => f.path),
    format,
    inOutDir,
  );
  const progress = createProgress(stderr, files.length);
  let attempted = 0;
  let written = 0;
  let failed = problems.length;
  let stopped: string | null = null;

  for (const [index, file] of files.entries()) {
    const outputName = outputNames[index]!;
    const fileStarted = performance.now();
    progress.started(index, file.display);
    attempted++;
    try {
      const result = await engine.remove(await readFile(file.path), job.options);
      await writeFile(path.join(job.outDir, outputName), result.data);
      written++;
      const seconds = (performance.now() - fileStarted) / 1000;
      progress.finished(index, file.display, { ok: true, outputName, width: result.width, height: result.height, seconds });
    } catch (error) {
      failed++;
      if (error instanceof ModelUnavailableError || error instanceof InvalidOptionsError) {
        stopped = oneLine(error);
        break;
      }
      progress.finished(index, file.display, { ok: false, reason: describeFailure(error) });
    }
  }

  progress.end();
  const took = formatDuration((performance.now() - started) / 1000);
  if (stopped) {
    stderr.write(`error: ${stopped}\n`);
    stderr.write(`Stopped after ${attempted} of ${files.length} files (${written} written) in ${took}.\n`);
  } else {
    stderr.write(`Done in ${took}: ${written} written to ${job.outDir}${failed > 0 ? `, ${failed} failed` : ""}.\n`);
  }
  return failed > 0 ? 1 : 0;
}

function describeFailure(error: unknown): string {
  if (error instanceof InvalidImageError) return `${oneLine(error)} (${error.reason})`;
  return oneLine(error);
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, " ");
}
