import type { ComposeRequest } from "@bgr/domain/editor";
import { useEffect, useRef, useState } from "react";
import { composeResult } from "./editor-api.ts";

export interface ComposedPreview {
  /** An object URL of the latest preview, or null before the first one. */
  url: string | null;
  width: number;
  height: number;
  /** The matte version it was composed from (1: the removal's own). */
  version: number;
  pending: boolean;
  error: unknown;
}

/** How long the options rest before the server is asked (a slider drag sends one request, not fifty). */
const SETTLE_MS = 250;

/**
 * The server's composition at preview size, asked again whenever the options, the background image
 * or `refresh` (a saved matte) change; an older request still running is cancelled.
 */
export function useComposedPreview(jobId: string, options: ComposeRequest, background: Blob | null, refresh: number): ComposedPreview {
  const [state, setState] = useState<ComposedPreview>({ url: null, width: 0, height: 0, version: 1, pending: true, error: null });
  const shown = useRef<string | null>(null);
  const key = JSON.stringify({ ...options, format: "png", size: "preview" });
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, pending: true }));
    const timer = setTimeout(() => {
      composeResult(jobId, { ...options, format: "png", size: "preview" }, background, controller.signal)
        .then(({ blob, width, height, version }) => {
          const url = URL.createObjectURL(blob);
          if (shown.current) URL.revokeObjectURL(shown.current);
          shown.current = url;
          setState({ url, width, height, version, pending: false, error: null });
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setState((previous) => ({ ...previous, pending: false, error }));
        });
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `key` stands for the options' content, so a new object with the same choices asks nothing.
  }, [jobId, key, background, refresh]);
  useEffect(() => () => void (shown.current && URL.revokeObjectURL(shown.current)), []);
  return state;
}
