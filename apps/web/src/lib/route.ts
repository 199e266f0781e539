import { useSyncExternalStore } from "react";

/** The app's few screens, addressed by path so they can be linked and reloaded (the server falls back to index.html). */
export type Route =
  | { view: "single" }
  | { view: "result"; jobId: string }
  | { view: "batch" }
  | { view: "batch-detail"; batchId: string }
  | { view: "history"; page: number }
  | { view: "keys" }
  | { view: "settings" }
  | { view: "admin" };

export function parseRoute(pathname: string, search = ""): Route {
  const result = pathname.match(/^\/results\/([^/]+)\/?$/);
  if (result?.[1]) return { view: "result", jobId: decodeURIComponent(result[1]) };
  const batch = pathname.match(/^\/batches\/([^/]+)\/?$/);
  if (batch?.[1]) return { view: "batch-detail", batchId: decodeURIComponent(batch[1]) };
  if (/^\/batch\/?$/.test(pathname)) return { view: "batch" };
  if (/^\/keys\/?$/.test(pathname)) return { view: "keys" };
  if (/^\/settings\/?$/.test(pathname)) return { view: "settings" };
  if (/^\/admin\/?$/.test(pathname)) return { view: "admin" };
  if (/^\/history\/?$/.test(pathname)) {
    const page = Number(new URLSearchParams(search).get("page") ?? "1");
    return { view: "history", page: Number.isInteger(page) && page > 0 ? page : 1 };
  }
  return { view: "single" };
}

export const paths = {
  single: "/",
  batch: "/batch",
  result: (jobId: string) => `/results/${encodeURIComponent(jobId)}`,
  batchDetail: (batchId: string) => `/batches/${encodeURIComponent(batchId)}`,
  history: (page = 1) => (page > 1 ? `/history?page=${page}` : "/history"),
  keys: "/keys",
  settings: "/settings",
  admin: "/admin",
};

const listeners = new Set<() => void>();
function notify() {
  for (const listener of listeners) listener();
}

export function navigate(path: string): void {
  if (path === location.pathname + location.search) return;
  history.pushState(null, "", path);
  notify();
  window.scrollTo({ top: 0 });
}

function snapshot() {
  return location.pathname + location.search;
}

export function useRoute(): Route {
  const current = useSyncExternalStore((listener) => {
    listeners.add(listener);
    window.addEventListener("popstate", listener);
    return () => {
      listeners.delete(listener);
      window.removeEventListener("popstate", listener);
    };
  }, snapshot);
  const [pathname = "/", search = ""] = current.split(/(?=\?)/);
  return parseRoute(pathname, search);
}
