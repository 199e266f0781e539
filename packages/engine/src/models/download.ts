import { createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { setTimeout as sleep } from "node:timers/promises";

export interface DownloadProgress {
  /** Bytes of the file on disk so far, resumed ones included. */
  bytes: number;
  /** The file's full size, when the server says. */
  totalBytes: number | null;
  /** Where this attempt started (0, or the size of the part file it resumed). */
  resumedFrom: number;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  /** Tries in all; each retry resumes where the last one stopped. Default 4. */
  attempts?: number;
  /** Wait before the first retry, doubled for each further one. Default 1 s. */
  retryDelayMs?: number;
  signal?: AbortSignal;
}

export interface DownloadResult {
  bytes: number;
  /** Bytes that were already in the part file when this download started. */
  resumedFrom: number;
  attempts: number;
}

/** The server refused the file or the connection kept failing; the part file stays for a later resume. */
export class DownloadError extends Error {
  override readonly name = "DownloadError";
}

/**
 * Streams `url` into `partFile` without holding it in memory. A part file left by an earlier, cut
 * download is resumed with an HTTP Range request (a server that ignores Range sends the whole file,
 * which then replaces it), and a connection cut during this call is retried the same way.
 */
export async function downloadResumable(url: string, partFile: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const attempts = options.attempts ?? 4;
  const firstOffset = await sizeOf(partFile);
  let lastProblem = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep((options.retryDelayMs ?? 1000) * 2 ** (attempt - 2), undefined, { signal: options.signal });
    const outcome = await downloadOnce(url, partFile, options);
    if (outcome.done) return { bytes: outcome.bytes, resumedFrom: firstOffset, attempts: attempt };
    lastProblem = outcome.problem;
  }
  const bytes = await sizeOf(partFile);
  throw new DownloadError(
    `Download of ${url} stopped after ${bytes} bytes (${lastProblem}). Run the same command again: it resumes from ${partFile}.`,
  );
}

type Attempt = { done: true; bytes: number } | { done: false; problem: string };

async function downloadOnce(url: string, partFile: string, options: DownloadOptions): Promise<Attempt> {
  const offset = await sizeOf(partFile);
  let response: Response;
  try {
    // identity: a compressed transfer would make byte offsets meaningless for resuming.
    const headers: Record<string, string> = { "accept-encoding": "identity", ...(offset > 0 ? { range: `bytes=${offset}-` } : {}) };
    response = await fetch(url, { headers, redirect: "follow", signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { done: false, problem: describe(error) };
  }

  if (response.status === 416 && offset > 0) {
    await response.body?.cancel();
    const total = totalFromContentRange(response.headers.get("content-range"));
    if (total === offset) return { done: true, bytes: offset };
    // The part file is longer than the file now on the server: start over.
    await rm(partFile, { force: true });
    return { done: false, problem: "the part file did not match the file on the server" };
  }
  if (response.status >= 500 || response.status === 429) {
    await response.body?.cancel();
    return { done: false, problem: `HTTP ${response.status}` };
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new DownloadError(`GET ${url} answered HTTP ${response.status}; check the URL (or pass --url with a mirror).`);
  }

  let start = 0;
  let total: number | null = null;
  if (response.status === 206) {
    const range = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
    start = Number(range?.[1] ?? -1);
    total = range?.[2] && range[2] !== "*" ? Number(range[2]) : null;
    if (start !== offset) {
      await response.body?.cancel();
      await rm(partFile, { force: true });
      return { done: false, problem: `the server resumed at byte ${start}, not ${offset}` };
    }
  } else {
    const length = response.headers.get("content-length");
    total = length === null ? null : Number(length);
  }
  if (!response.body) return { done: false, problem: "the response had no body" };

  let bytes = start;
  const report = () => options.onProgress?.({ bytes, totalBytes: total, resumedFrom: start });
  report();
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      report();
      callback(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      counter,
      createWriteStream(partFile, { flags: start > 0 ? "a" : "w" }),
    );
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { done: false, problem: `connection lost: ${describe(error)}` };
  }
  if (total !== null && bytes !== total) return { done: false, problem: `got ${bytes} of ${total} bytes` };
  return { done: true, bytes };
}

function totalFromContentRange(header: string | null): number | null {
  const match = /\/(\d+)$/.exec(header ?? "");
  return match ? Number(match[1]) : null;
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return cause ? `${message}: ${cause}` : message;
}
