import { API_PREFIX } from "@bgr/domain/api-prefix";
import { ApiError, apiErrorFromResponse } from "./errors.ts";
import { authHeaders } from "./session.ts";

async function parseBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** A JSON call to the REST API; resolves to `data`, throws ApiError on any failure. */
export async function requestJson<T>(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, {
      method: init.method ?? "GET",
      headers: {
        ...(init.token === undefined ? authHeaders() : authHeaders(init.token)),
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch (error) {
    throw new ApiError(0, "NETWORK", error instanceof Error ? error.message : "Network error");
  }
  const body = await parseBody(response);
  if (!response.ok) throw apiErrorFromResponse(response.status, body, response.headers.get("retry-after"));
  return (body as { data: T }).data;
}

export interface UploadProgress {
  loaded: number;
  total: number;
  /** 0..1 */
  fraction: number;
}

/**
 * POSTs a multipart form with XMLHttpRequest, the one browser API that reports upload progress.
 * Resolves to `data` of the JSON answer; throws ApiError (status 0 for network failures).
 */
export function uploadForm<T>(
  path: string,
  form: FormData,
  options: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${API_PREFIX}${path}`);
    for (const [name, value] of Object.entries(authHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable)
        options.onProgress?.({ loaded: event.loaded, total: event.total, fraction: event.total ? event.loaded / event.total : 0 });
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve((body as { data: T }).data);
      else reject(apiErrorFromResponse(xhr.status, body, xhr.getResponseHeader("retry-after")));
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "The upload failed: the connection was lost."));
    xhr.onabort = () => reject(new ApiError(0, "ABORTED", "Upload cancelled."));
    options.signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** Downloads an authenticated file (e.g. a batch ZIP without a signed link) and hands it to the browser. */
export async function downloadWithAuth(path: string, fileName: string): Promise<void> {
  const response = await fetch(`${API_PREFIX}${path}`, { headers: authHeaders() });
  if (!response.ok) throw apiErrorFromResponse(response.status, await parseBody(response), response.headers.get("retry-after"));
  saveBlob(await response.blob(), fileName);
}

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled; revoking synchronously can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
