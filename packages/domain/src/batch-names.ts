import { DomainError } from "./errors.ts";
import { hasControlCharacters } from "./file-names.ts";

/** A batch's own name is at most this long (it is a label in lists, not a description). */
export const BATCH_NAME_MAX_LENGTH = 80;

/**
 * The name a batch's owner typed, checked: whitespace runs become one space, empty is no name (the
 * batch is then named after its first file and the count), and control characters or more than
 * BATCH_NAME_MAX_LENGTH characters are refused with what to do.
 */
export function parseBatchName(raw: string | null | undefined): string | null {
  const name = (raw ?? "").replace(/\s+/g, " ").trim();
  if (name === "") return null;
  if (hasControlCharacters(name))
    throw new DomainError("INVALID_OPTIONS", "The batch name contains control characters. Type it again without them, or leave it empty.");
  if ([...name].length > BATCH_NAME_MAX_LENGTH)
    throw new DomainError(
      "INVALID_OPTIONS",
      `The batch name is ${[...name].length} characters long; shorten it to ${BATCH_NAME_MAX_LENGTH} or fewer.`,
    );
  return name;
}
