/**
 * Upload names as we keep and show them. Capped so every name we hand back (a stored job's name, a
 * ZIP entry `removed-<name>.png` with a de-duplicating `-n`) stays a file name every file system can
 * create: 255 bytes is the common limit, and 120 characters of 4-byte UTF-8 would already exceed it.
 */
export const FILE_NAME_LIMITS = Object.freeze({ maxChars: 120, maxBytes: 240 });

// C0 and C1 controls (NUL included): PostgreSQL refuses NUL in text, and none of them belong in a name.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/u;

export function hasControlCharacters(name: string): boolean {
  return CONTROL_CHARACTERS.test(name);
}

/** The name kept for an upload: its last path part, controls removed, at most FILE_NAME_LIMITS with its extension kept. */
export function storedFileName(raw: string, fallback = "image"): string {
  const base = raw.replaceAll("\\", "/").split("/").pop()!.replace(new RegExp(CONTROL_CHARACTERS, "gu"), "").trim();
  return capFileName(base || fallback);
}

/** Shortens `name` to fit `limits` by cutting its stem (never its extension). */
export function capFileName(name: string, limits: FileNameLimits = FILE_NAME_LIMITS): string {
  if (fits(name, limits)) return name;
  const dot = name.lastIndexOf(".");
  // An "extension" longer than 16 characters is part of the name, not a type.
  const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
  const room = { maxChars: limits.maxChars - [...extension].length, maxBytes: limits.maxBytes - Buffer.byteLength(extension) };
  return truncateText(name.slice(0, name.length - extension.length), room).trimEnd() + extension;
}

/** The longest prefix of `text` within `limits`, cut between characters (never inside a multi-byte one). */
export function truncateText(text: string, limits: FileNameLimits): string {
  const characters = [...text].slice(0, Math.max(0, limits.maxChars));
  while (characters.length > 0 && !fits(characters.join(""), limits)) characters.pop();
  return characters.join("");
}

export interface FileNameLimits {
  maxChars: number;
  maxBytes: number;
}

function fits(name: string, limits: FileNameLimits): boolean {
  return [...name].length <= limits.maxChars && Buffer.byteLength(name) <= limits.maxBytes;
}
