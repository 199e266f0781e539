/** Why an input image was refused. Each maps to HTTP 400 in the service. */
export type InvalidImageReason =
  | "empty"
  | "unsupported_format"
  | "corrupt"
  | "too_many_pixels"
  | "too_small"
  /** The matte holds no confident subject (only when the layout asks for one). */
  | "no_foreground";

/** The caller sent an image the engine cannot or will not process. Never a server fault. */
export class InvalidImageError extends Error {
  override readonly name = "InvalidImageError";
  constructor(
    readonly reason: InvalidImageReason,
    message: string,
  ) {
    super(message);
  }
}

/** The caller asked for an option combination that makes no sense (e.g. JPEG with a transparent background). */
export class InvalidOptionsError extends Error {
  override readonly name = "InvalidOptionsError";
}

/** A model's bytes are missing or do not match their checksum: an installation problem, not bad input. */
export class ModelUnavailableError extends Error {
  override readonly name = "ModelUnavailableError";
}

/**
 * A matte handed to `removeWithMatte` (e.g. by a remote provider) is not a readable image. Not the
 * caller's fault and not the photo's: whoever supplied the matte should fall back to the local model.
 */
export class InvalidMatteError extends Error {
  override readonly name = "InvalidMatteError";
}
