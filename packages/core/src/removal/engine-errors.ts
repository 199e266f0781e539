import { DomainError } from "@bgr/domain";
import { InvalidImageError, InvalidOptionsError } from "@bgr/engine";

/** An error in the image or the options themselves: retrying cannot fix it. */
export function isEngineInputError(error: unknown): error is InvalidImageError | InvalidOptionsError {
  return error instanceof InvalidImageError || error instanceof InvalidOptionsError;
}

/** The engine's input errors are the user's to fix: they become 400s with the engine's own words. */
export function engineErrorToDomain(error: unknown): DomainError | null {
  // The reason travels along, so an API with finer error codes (remove.bg's) can name it.
  if (error instanceof InvalidImageError) return new DomainError("INVALID_IMAGE", error.message, { reason: error.reason });
  if (error instanceof InvalidOptionsError) return new DomainError("INVALID_OPTIONS", error.message);
  return null;
}

/** Runs engine checks (options, image header), rethrowing their input errors as domain errors. */
export async function asDomainErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw engineErrorToDomain(error) ?? error;
  }
}
