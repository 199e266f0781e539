import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ApiError } from "../../api/errors.ts";
import { useDevSignInAvailable } from "../../api/queries.ts";
import { requestJson } from "../../api/rest.ts";
import { setToken } from "../../api/session.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";

/** Paste a platform token or an API key; on a development server, one click signs in as the demo user. */
export function SignIn({ notice }: { notice?: string | null }) {
  const client = useQueryClient();
  const devAvailable = useDevSignInAvailable();
  const [value, setValue] = useState("");
  const [reveal, setReveal] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fieldId = useId();
  const hintId = useId();

  function start(token: string) {
    client.clear();
    setToken(token);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const token = value.trim().replace(/^Bearer\s+/i, "");
    if (!token) {
      setError(new ApiError(400, "EMPTY", "Paste your access token or API key first."));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await requestJson("/me", { token });
      start(token);
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.status === 401
          ? new ApiError(400, "REJECTED", "That token or API key was not accepted. Check that you copied all of it, or create a new one.")
          : caught,
      );
    } finally {
      setBusy(false);
    }
  }

  async function devSignIn() {
    setBusy(true);
    setError(null);
    try {
      const { token } = await requestJson<{ token: string }>("/dev/sign-in", { method: "POST", token: null });
      start(token);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="signin">
      <div className="signin-card card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          Background Remover Pro
        </div>
        <h1>Sign in</h1>
        <p className="muted">Cut subjects out of photos, one at a time or five hundred at once.</p>
        {notice && (
          <p className="notice notice-info" role="status">
            {notice}
          </p>
        )}
        <form onSubmit={onSubmit} className="stack">
          <label htmlFor={fieldId} className="field-label">
            Access token or API key
          </label>
          <div className="input-row">
            <input
              id={fieldId}
              className="input"
              type={reveal ? "text" : "password"}
              autoComplete="off"
              spellCheck={false}
              placeholder="eyJhbGciOi… or bgr_…"
              value={value}
              aria-describedby={hintId}
              onChange={(event) => setValue(event.currentTarget.value)}
            />
            <button type="button" className="button button-quiet" aria-pressed={reveal} onClick={() => setReveal(!reveal)}>
              {reveal ? "Hide" : "Show"}
            </button>
          </div>
          <p id={hintId} className="field-hint">
            A platform token or a key from <code>pnpm admin api-key</code>. It stays in this browser only.
          </p>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        {devAvailable.data && (
          <div className="dev-signin">
            <p className="muted">This server runs in development mode.</p>
            <button type="button" className="button" disabled={busy} onClick={devSignIn}>
              Sign in as demo (100 free credits)
            </button>
          </div>
        )}
        {error !== null && <ErrorNotice error={error} />}
      </div>
    </main>
  );
}
