import { useSyncExternalStore } from "react";

const STORAGE_KEY = "bgr.session.token";
// Signed in with email + password: the session itself is an HttpOnly cookie; this is its CSRF token.
const CSRF_KEY = "bgr.session.csrf";
const listeners = new Set<() => void>();

function read(key = STORAGE_KEY): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode): the session lasts as long as the tab
  }
}

let current: string | null = read();
let csrf: string | null = read(CSRF_KEY);

/** The token or API key of the signed-in user; every request reads it from here. */
export function getToken(): string | null {
  return current;
}

export function setToken(token: string | null): void {
  current = token;
  store(STORAGE_KEY, token);
  if (token === null) {
    csrf = null;
    store(CSRF_KEY, null);
  }
  for (const listener of listeners) listener();
}

/** After an email + password sign-in: the cookie carries the session, mutations carry this token. */
export function setCookieSession(csrfToken: string): void {
  current = null;
  store(STORAGE_KEY, null);
  csrf = csrfToken;
  store(CSRF_KEY, csrfToken);
  for (const listener of listeners) listener();
}

export function isCookieSession(): boolean {
  return current === null && csrf !== null;
}

function store(key: string, value: string | null) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // keep the in-memory session
  }
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Something that signs requests in: a bearer token, or a cookie session (its CSRF token). */
export function useToken(): string | null {
  return useSyncExternalStore(subscribe, () => current ?? csrf);
}

export function authHeaders(token: string | null = current): Record<string, string> {
  if (token) return { authorization: `Bearer ${token}` };
  return csrf ? { "x-csrf-token": csrf } : {};
}
