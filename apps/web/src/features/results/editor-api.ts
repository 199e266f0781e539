import type { ComposeRequest } from "@bgr/domain/editor";
import { API_PREFIX } from "@bgr/domain/api-prefix";
import { ApiError, apiErrorFromResponse } from "../../api/errors.ts";
import { requestJson, uploadForm } from "../../api/rest.ts";
import { authHeaders } from "../../api/session.ts";

/** One matte of a result: 1 is the removal's own, 2 on are saved edits. */
export interface MatteVersion {
  version: number;
  edited: boolean;
  createdAt: string;
}

export interface Composition {
  blob: Blob;
  width: number;
  height: number;
  /** The matte version it was composed from. */
  version: number;
}

/**
 * The result composed on the server (POST /jobs/:id/compose): the same engine compositing an API
 * call with these options gets, so the preview and the download are exactly what the server makes.
 */
export async function composeResult(
  jobId: string,
  options: ComposeRequest,
  background: Blob | null,
  signal?: AbortSignal,
): Promise<Composition> {
  const form = new FormData();
  form.set("options", JSON.stringify(options));
  if (background && options.background.kind === "image") form.set("background", background, "background");
  const response = await authedFetch(`/jobs/${encodeURIComponent(jobId)}/compose`, { method: "POST", body: form, signal });
  const header = (name: string) => Number(response.headers.get(name) ?? 0);
  return { blob: await response.blob(), width: header("x-width"), height: header("x-height"), version: header("x-matte-version") };
}

/** The current matte: an image whose alpha is the matte. */
export async function fetchMatte(jobId: string): Promise<{ blob: Blob; version: number }> {
  const response = await authedFetch(`/jobs/${encodeURIComponent(jobId)}/matte`, {});
  return { blob: await response.blob(), version: Number(response.headers.get("x-matte-version") ?? 1) };
}

export function fetchVersions(jobId: string): Promise<MatteVersion[]> {
  return requestJson<MatteVersion[]>(`/jobs/${encodeURIComponent(jobId)}/versions`);
}

/** Saves an edited matte (a PNG the photo's size whose alpha is the matte) as the next version. */
export function saveMatte(jobId: string, png: Blob): Promise<MatteVersion> {
  const form = new FormData();
  form.set("matte", png, "matte.png");
  return uploadForm<MatteVersion>(`/jobs/${encodeURIComponent(jobId)}/mattes`, form);
}

async function authedFetch(path: string, init: { method?: string; body?: FormData; signal?: AbortSignal }): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, { ...init, headers: authHeaders() });
  } catch (error) {
    if (init.signal?.aborted) throw new ApiError(0, "ABORTED", "Cancelled.");
    throw new ApiError(0, "NETWORK", error instanceof Error ? error.message : "Network error");
  }
  if (!response.ok) {
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    throw apiErrorFromResponse(response.status, body, response.headers.get("retry-after"));
  }
  return response;
}
