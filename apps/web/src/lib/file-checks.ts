import { BATCH_LIMITS, SINGLE_LIMITS } from "@bgr/domain/limits";
import { i18n } from "../i18n/i18n.ts";
import { formatBytes } from "./format.ts";

/** The server's limits (domain's own), checked before upload so people learn about a bad file at once, not after sending 500. */
export const MAX_FILE_BYTES = Math.min(SINGLE_LIMITS.maxFileBytes, BATCH_LIMITS.maxFileBytes);
export const MAX_BATCH_FILES = BATCH_LIMITS.maxImages;
export const MIN_BATCH_FILES = BATCH_LIMITS.minImages;

const TYPES_BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  avif: "image/avif",
  tif: "image/tiff",
  tiff: "image/tiff",
  gif: "image/gif",
};
const ACCEPTED_TYPES = new Set(Object.values(TYPES_BY_EXTENSION));

/** For `<input accept>`: MIME types plus extensions, since some systems give TIFF or AVIF no MIME type. */
export const ACCEPT_ATTRIBUTE = [...ACCEPTED_TYPES, ...Object.keys(TYPES_BY_EXTENSION).map((e) => `.${e}`)].join(",");

/** "JPEG, PNG, WebP, AVIF, TIFF or GIF", in the active language. */
export function acceptedLabel(): string {
  return i18n.t("files.accepted");
}

/** The parts of a File the checks read (a plain object in unit tests). */
export interface FileLike {
  name: string;
  size: number;
  type: string;
  lastModified: number;
}

export interface CandidateFile<F extends FileLike = FileLike> {
  id: string;
  file: F;
  /** Why it will not be uploaded; null when it is fine. */
  reason: string | null;
}

export function imageTypeOf(file: FileLike): string | null {
  if (ACCEPTED_TYPES.has(file.type)) return file.type;
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  // An empty or generic MIME type happens (drag from some apps); trust the extension then.
  if (!file.type || file.type === "application/octet-stream") return TYPES_BY_EXTENSION[extension] ?? null;
  return null;
}

/** The reason one file cannot be used on its own (type, size), or null. */
export function checkFile(file: FileLike): string | null {
  if (!imageTypeOf(file)) return i18n.t("files.unsupported", { types: acceptedLabel() });
  if (file.size === 0) return i18n.t("files.empty");
  if (file.size > MAX_FILE_BYTES) return i18n.t("files.tooLarge", { size: formatBytes(file.size), limit: formatBytes(MAX_FILE_BYTES) });
  return null;
}

function fingerprint(file: FileLike): string {
  return `${file.name}\u0000${file.size}\u0000${file.lastModified}`;
}

let nextId = 0;

/**
 * Adds newly picked files to a batch, giving each its rejection reason: type, size, a duplicate of a file
 * already in the batch (same name, size and date), or beyond the 500-file limit. Rejected files stay in
 * the list with their reason so the person sees why; only accepted ones are uploaded.
 */
export function addFiles<F extends FileLike>(
  existing: readonly CandidateFile<F>[],
  incoming: readonly F[],
  maxFiles = MAX_BATCH_FILES,
): CandidateFile<F>[] {
  const seen = new Map<string, string>();
  let accepted = 0;
  for (const candidate of existing) {
    if (candidate.reason === null) {
      seen.set(fingerprint(candidate.file), candidate.file.name);
      accepted += 1;
    }
  }
  const added: CandidateFile<F>[] = [];
  for (const file of incoming) {
    let reason = checkFile(file);
    const key = fingerprint(file);
    if (!reason && seen.has(key)) reason = i18n.t("files.duplicate");
    if (!reason && accepted >= maxFiles) reason = i18n.t("files.overLimit", { max: maxFiles });
    if (!reason) {
      seen.set(key, file.name);
      accepted += 1;
    }
    added.push({ id: `f${++nextId}`, file, reason });
  }
  return [...existing, ...added];
}

export function acceptedFiles<F extends FileLike>(candidates: readonly CandidateFile<F>[]): F[] {
  return candidates.filter((c) => c.reason === null).map((c) => c.file);
}
