// Every server shape here is derived from the router's types, so it follows the server without a
// copy to keep in sync. `import type` only: nothing of the server is loaded at run time.
import type { AppRouter, RouterInputs, RouterOutputs } from "@bgr/api";
import type { inferRouterError } from "@trpc/server";

export type { AppRouter, RouterInputs, RouterOutputs };

/** A removal job as the server shows it (REST `POST /remove`, `GET /jobs/:id`, tRPC `jobs.get`), with signed links. */
export type JobView = RouterOutputs["jobs"]["get"];
/** A batch as the server shows it (REST `POST /batch`, tRPC `batch.get` — the latter with its `items`). */
export type BatchView = RouterOutputs["batch"]["get"];
/** The signed-in account and its credit balance (tRPC `account.me`). */
export type Account = RouterOutputs["account"]["me"];

/** Quality tier: `basic` | `standard` | `professional` | `industry` (prices: tRPC `pricing.tiers`). */
export type Tier = JobView["tier"];
export type JobStatus = JobView["status"];
export type BatchStatus = BatchView["status"];

/** A business-rule failure's code as the server names it (`INVALID_TIER`, `INSUFFICIENT_CREDITS`, …). */
export type DomainErrorCode = NonNullable<inferRouterError<AppRouter>["data"]["domainCode"]>;

/** Output encoding; `jpg` needs an opaque `background`. */
export type OutputFormat = "png" | "webp" | "jpg";

/** Image bytes in any form browsers and Node both have. A `File` also lends its name. */
export type BinaryInput = Blob | Uint8Array | ArrayBuffer;

export interface RemoveBackgroundOptions {
  tier: Tier;
  /** Name stored with the job (and used for ZIP entries); default: the File's name, else "image". */
  fileName?: string;
  /** Default `png`. */
  format?: OutputFormat;
  /** `transparent` (default) or a hex colour such as `#ffffff`. */
  background?: string;
  /** `cutout` (default): the subject; `mask`: the alpha matte as a greyscale image. */
  result?: "cutout" | "mask";
  /** Crop to the subject's bounding box; `{ marginPx }` keeps a margin around it. */
  crop?: boolean | { marginPx?: number };
  signal?: AbortSignal;
}

export interface BatchFile {
  name: string;
  data: BinaryInput;
}

export interface StartBatchOptions {
  tier: Tier;
  /** Receives a signed POST (`X-BGR-Signature: sha256=<HMAC>`) when the batch settles. */
  callbackUrl?: string;
  signal?: AbortSignal;
}

export interface WaitForBatchOptions {
  /** Pause between polls; default 1000 ms. */
  intervalMs?: number;
  /** Give up (BackgroundRemoverError `TIMEOUT`) after this long; default 30 minutes. */
  timeoutMs?: number;
  /** Called with every poll's view, e.g. to show `progress.percentage`. */
  onProgress?: (batch: BatchView) => void;
  signal?: AbortSignal;
}
