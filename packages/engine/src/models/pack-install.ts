import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { ModelUnavailableError } from "../errors.ts";
import { digestFile, formatChecksum } from "./checksum.ts";
import { downloadResumable, type DownloadOptions } from "./download.ts";
import type { Checksum, PackModelDefinition } from "./model.ts";

/**
 * Model packs on disk: `<cache>/packs/<id>.onnx` beside a receipt `<id>.json` naming where it came
 * from and its checksums. The receipt is written last, by rename, so a pack is either wholly
 * installed or not at all; a download in progress lives in `<id>.onnx.part` until verified.
 */
export const PACKS_DIRECTORY = "packs";

export interface PackReceipt {
  id: string;
  url: string;
  /** The checksum the file was verified against: the registry's, or the operator's `--sha256`. */
  verifiedAgainst: Checksum;
  /** sha256 of the installed file, checked again each time a process loads it. */
  sha256: string;
  bytes: number;
  installedAt: string;
}

export function packPaths(cacheDir: string, id: string) {
  const dir = path.join(cacheDir, PACKS_DIRECTORY);
  return { dir, file: path.join(dir, `${id}.onnx`), part: path.join(dir, `${id}.onnx.part`), receipt: path.join(dir, `${id}.json`) };
}

/** The receipt of an installed pack, or null when it is not (fully) installed. */
export async function readPackReceipt(cacheDir: string, id: string): Promise<PackReceipt | null> {
  const paths = packPaths(cacheDir, id);
  try {
    const receipt = JSON.parse(await readFile(paths.receipt, "utf8")) as PackReceipt;
    const { size } = await stat(paths.file);
    return receipt.id === id && size === receipt.bytes ? receipt : null;
  } catch {
    return null;
  }
}

/** Path of an installed pack's verified file; refuses (and says how to fix) a missing or altered one. */
export async function installedPackFile(cacheDir: string, model: PackModelDefinition): Promise<string> {
  const receipt = await readPackReceipt(cacheDir, model.id);
  const { file } = packPaths(cacheDir, model.id);
  if (!receipt) throw new ModelUnavailableError(`Model pack ${model.id} is not installed. Install it with: bgr models pull ${model.id}`);
  const { sha256 } = await digestFile(file, ["sha256"]);
  if (sha256 !== receipt.sha256) {
    throw new ModelUnavailableError(
      `Model pack ${model.id}: ${file} has sha256 ${sha256}, but ${receipt.sha256} was installed. Pull it again: bgr models pull ${model.id}`,
    );
  }
  return file;
}

/** The download did not match the checksum it must have; the file is already deleted. */
export class ChecksumMismatchError extends Error {
  override readonly name = "ChecksumMismatchError";
}

export interface PullOptions extends DownloadOptions {
  /** Download from here instead of the registry's URL (a mirror). */
  url?: string;
  /** Verify against this instead of the registry's published checksum (required with a URL serving another file). */
  checksum?: Checksum;
}

export interface PullResult {
  file: string;
  receipt: PackReceipt;
  /** Bytes found in a part file from an earlier, cut download and not fetched again. */
  resumedFrom: number;
}

/**
 * Downloads a model pack (streamed, resumable, retried), verifies it against the published
 * checksum and installs it atomically. A mismatch deletes the download and throws
 * ChecksumMismatchError; nothing is installed then, and an earlier installation stays as it was.
 */
export async function pullPack(cacheDir: string, model: PackModelDefinition, options: PullOptions = {}): Promise<PullResult> {
  const url = options.url ?? model.source.url;
  const expected = options.checksum ?? model.source.checksum;
  const paths = packPaths(cacheDir, model.id);
  await mkdir(paths.dir, { recursive: true });

  const download = await downloadResumable(url, paths.part, options);
  const digests = await digestFile(paths.part, [...new Set([expected.algorithm, "sha256" as const])]);
  if (digests[expected.algorithm] !== expected.hex) {
    await rm(paths.part, { force: true });
    throw new ChecksumMismatchError(
      `Checksum mismatch for ${model.id}: the ${download.bytes} bytes from ${url} have ${expected.algorithm} ${digests[expected.algorithm]}, ` +
        `but ${formatChecksum(expected)} was expected. The download was deleted and nothing was installed. ` +
        `Check the URL (a mirror must serve the same file) or the checksum you gave, then pull again.`,
    );
  }

  const receipt: PackReceipt = {
    id: model.id,
    url,
    verifiedAgainst: expected,
    sha256: digests.sha256!,
    bytes: download.bytes,
    installedAt: new Date().toISOString(),
  };
  // Old receipt out first: between the two renames the pack reads as not installed, never as a
  // receipt vouching for the wrong file.
  await rm(paths.receipt, { force: true });
  await rename(paths.part, paths.file);
  const temp = `${paths.receipt}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(receipt, null, 2)}\n`);
  await rename(temp, paths.receipt);
  return { file: paths.file, receipt, resumedFrom: download.resumedFrom };
}
