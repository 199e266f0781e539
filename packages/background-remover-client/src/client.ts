import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client";
import { BackgroundRemoverError, isAbort, parseDataResponse, parseErrorResponse, toBackgroundRemoverError } from "./errors.ts";
import { buildBatchForm, buildRemoveForm } from "./form.ts";
import type {
  AppRouter,
  BatchFile,
  BatchStatus,
  BatchView,
  BinaryInput,
  JobView,
  RemoveBackgroundOptions,
  StartBatchOptions,
  WaitForBatchOptions,
} from "./types.ts";
import { isWithinBase, joinUrl, normalizeBaseUrl, resolveUrl, REST_PREFIX, TRPC_PATH } from "./urls.ts";

/** A platform access token (HS256 JWT, `sub` = user id), or a function that returns a fresh one for each request. */
export type TokenSource = string | (() => string | Promise<string>);

/** Who calls: people's apps pass the platform token of the signed-in user, servers an API key (`bgr_…`). */
export type BackgroundRemoverClientConfig = { url: string } & (
  { token: TokenSource; apiKey?: undefined } | { apiKey: string; token?: undefined }
);

export type HeadersSource = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

export interface BackgroundRemoverClientOptions {
  /** Default: the global fetch. Used for tRPC and for the uploads and downloads. */
  fetch?: typeof globalThis.fetch;
  /** Extra headers for every request to the server (e.g. a request id); the credential wins over an `authorization` here. */
  headers?: HeadersSource;
}

export interface BackgroundRemoverClient {
  /** The server's base URL, normalised (no trailing slash). */
  readonly url: string;
  /**
   * The typed tRPC client of the whole router (`account`, `jobs`, `batch`, `pricing`, `subscription`, …).
   * Its calls throw `TRPCClientError`: `error.data.domainCode` holds the business-rule code (e.g.
   * `INSUFFICIENT_CREDITS`), `error.data.details` its facts, `error.data.httpStatus` the status.
   */
  readonly trpc: TRPCClient<AppRouter>;
  /** Removes the background of one image (REST `POST /remove`); resolves when the result is stored. Fetch it with `download(job.processedUrl)`. */
  removeBackground(image: BinaryInput, options: RemoveBackgroundOptions): Promise<JobView>;
  /** Starts a batch of 2–500 images (REST `POST /batch`), charged up front; poll it with `waitForBatch`. */
  startBatch(files: readonly BatchFile[], options: StartBatchOptions): Promise<BatchView>;
  /** Polls `batch.get` until the batch is `completed` (its ZIP is then ready), `failed` or `cancelled`. */
  waitForBatch(batchId: string, options?: WaitForBatchOptions): Promise<BatchView>;
  /** The finished batch's ZIP (`removed-<name>.png` per processed image). */
  downloadBatch(batchId: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** The bytes behind a link the server returned (`processedUrl`, `zipUrl`, …); a server path is resolved against `url`. */
  download(urlOrPath: string, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}

const TERMINAL_BATCH_STATUSES: ReadonlySet<BatchStatus> = new Set(["completed", "failed", "cancelled"] satisfies BatchStatus[]);
const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;

/**
 * A client of one Background Remover Pro server. Creating it does no I/O; credentials are sent
 * with every request to `url` and never to other hosts.
 *
 * @example
 * const bgr = createBackgroundRemoverClient({ url: "https://bgr.lumiku.example", token: userToken });
 * const job = await bgr.removeBackground(file, { tier: "professional" });
 * const png = await bgr.download(job.processedUrl!);
 */
export function createBackgroundRemoverClient(
  config: BackgroundRemoverClientConfig,
  options: BackgroundRemoverClientOptions = {},
): BackgroundRemoverClient {
  const baseUrl = normalizeBaseUrl(config.url);
  const restBase = joinUrl(baseUrl, REST_PREFIX);
  const credential = credentialHeader(config);
  // Wrapped, not stored: browsers refuse a fetch called detached from `window`.
  const fetchImpl: typeof globalThis.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function requestHeaders(): Promise<Record<string, string>> {
    const extra = typeof options.headers === "function" ? await options.headers() : (options.headers ?? {});
    const headers = new Headers(extra);
    const [name, value] = await credential();
    headers.set(name, value);
    return Object.fromEntries(headers.entries());
  }

  const trpc = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: joinUrl(baseUrl, TRPC_PATH), headers: requestHeaders, fetch: fetchImpl, maxURLLength: 2083 })],
  });

  async function send(
    url: string,
    init: { method: string; body?: FormData; signal?: AbortSignal | undefined; withCredentials: boolean },
  ): Promise<Response> {
    const headers = init.withCredentials ? await requestHeaders() : {};
    try {
      return await fetchImpl(url, { method: init.method, headers, body: init.body, signal: init.signal });
    } catch (error) {
      throw transportError(error, url);
    }
  }

  async function readText(response: Response, url: string): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw transportError(error, url);
    }
  }

  async function readData<T>(response: Response, url: string): Promise<T> {
    return parseDataResponse<T>(response.status, await readText(response, url), response.headers.get("retry-after"));
  }

  async function readBytes(response: Response, url: string): Promise<Uint8Array> {
    if (!response.ok) throw parseErrorResponse(response.status, await readText(response, url), response.headers.get("retry-after"));
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw transportError(error, url);
    }
  }

  return {
    url: baseUrl,
    trpc,

    async removeBackground(image, removeOptions) {
      const url = joinUrl(restBase, "/remove");
      const response = await send(url, {
        method: "POST",
        body: buildRemoveForm(image, removeOptions),
        signal: removeOptions.signal,
        withCredentials: true,
      });
      return readData<JobView>(response, url);
    },

    async startBatch(files, batchOptions) {
      const url = joinUrl(restBase, "/batch");
      const response = await send(url, {
        method: "POST",
        body: buildBatchForm(files, batchOptions),
        signal: batchOptions.signal,
        withCredentials: true,
      });
      return readData<BatchView>(response, url);
    },

    async waitForBatch(batchId, waitOptions = {}) {
      const intervalMs = waitOptions.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
      const timeoutMs = waitOptions.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let batch: BatchView;
        try {
          batch = await trpc.batch.get.query({ batchId }, { signal: waitOptions.signal });
        } catch (error) {
          throw toBackgroundRemoverError(error);
        }
        waitOptions.onProgress?.(batch);
        if (TERMINAL_BATCH_STATUSES.has(batch.status)) return batch;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new BackgroundRemoverError(
            "TIMEOUT",
            `Batch ${batchId} is still ${batch.status} (${batch.progress.percentage}%) after ${timeoutMs} ms; wait again or raise timeoutMs.`,
            {
              details: { batchId, status: batch.status, progress: batch.progress },
            },
          );
        }
        await sleep(Math.min(intervalMs, left), waitOptions.signal);
      }
    },

    async downloadBatch(batchId, downloadOptions = {}) {
      const url = joinUrl(restBase, `/batch/${encodeURIComponent(batchId)}/download`);
      return readBytes(await send(url, { method: "GET", signal: downloadOptions.signal, withCredentials: true }), url);
    },

    async download(urlOrPath, downloadOptions = {}) {
      const url = resolveUrl(baseUrl, urlOrPath);
      // Signed links need no credentials; they go only to this server, never to a host a link might name.
      const withCredentials = isWithinBase(baseUrl, url);
      return readBytes(await send(url, { method: "GET", signal: downloadOptions.signal, withCredentials }), url);
    },
  };
}

function credentialHeader(config: BackgroundRemoverClientConfig): () => Promise<[string, string]> {
  const { token, apiKey } = config as { token?: TokenSource; apiKey?: string };
  if ((token === undefined) === (apiKey === undefined)) {
    throw new TypeError("Pass exactly one credential: { token } (a platform access token) or { apiKey } (bgr_…).");
  }
  if (apiKey !== undefined) {
    if (!apiKey) throw new TypeError("apiKey is empty.");
    return async () => ["x-api-key", apiKey];
  }
  return async () => {
    const value = typeof token === "function" ? await token() : token;
    if (!value)
      throw new BackgroundRemoverError("UNAUTHORIZED", "No platform token to send: the token (or the function giving it) is empty.");
    return ["authorization", `Bearer ${value}`];
  };
}

function transportError(error: unknown, url: string): BackgroundRemoverError {
  if (error instanceof BackgroundRemoverError) return error;
  if (isAbort(error)) return new BackgroundRemoverError("ABORTED", `The request to ${url} was aborted.`, { cause: error });
  const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return new BackgroundRemoverError("NETWORK_ERROR", `No answer from ${url}: ${reason}. Check that the server runs and the url is right.`, {
    cause: error,
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted)
      return reject(new BackgroundRemoverError("ABORTED", "Waiting for the batch was aborted.", { cause: signal.reason }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new BackgroundRemoverError("ABORTED", "Waiting for the batch was aborted.", { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
