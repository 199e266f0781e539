import type { SiblingApp } from "@bgr/domain";

export type SiblingAppErrorKind =
  "not-configured" | "not-found" | "forbidden" | "unavailable" | "timeout" | "refused" | "bad-response" | "bad-image";

/**
 * A sibling app could not give us what we asked for. `message` is written for the end user and says
 * what to do next; errors about one image name it (`imageName`), so a caller can list them per file.
 */
export class SiblingAppError extends Error {
  override readonly name = "SiblingAppError";
  readonly app: SiblingApp;
  readonly kind: SiblingAppErrorKind;
  /** The sibling's HTTP status, when it answered with one. */
  readonly status?: number;
  /** The image the error is about, for errors raised while downloading one. */
  readonly imageName?: string;

  constructor(init: { app: SiblingApp; kind: SiblingAppErrorKind; message: string; status?: number; imageName?: string; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.app = init.app;
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.imageName !== undefined) this.imageName = init.imageName;
  }
}
