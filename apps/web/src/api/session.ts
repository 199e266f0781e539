import { useSyncExternalStore } from "react";

const STORAGE_KEY = "bgr.session.token";
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode): the session lasts as long as the tab
  }
}

let current: string | null = read();

/** The token or API key of the signed-in user; every request reads it from here. */
export function getToken(): string | null {
  return current;
}

export function setToken(token: string | null): void {
  current = token;
  try {
    if (token) localStorage.setItem(STORAGE_KEY, token);
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // keep the in-memory session
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToken(): string | null {
  return useSyncExternalStore(subscribe, getToken);
}

export function authHeaders(token: string | null = current): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
