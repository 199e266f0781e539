import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors.ts";
import { useDevSignInAvailable, useSignupMode } from "../../api/queries.ts";
import { requestJson } from "../../api/rest.ts";
import { setCookieSession, setToken } from "../../api/session.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { LanguageSwitch } from "../../components/LanguageSwitch.tsx";

type Mode = "sign-in" | "sign-up" | "reset" | "new-password";

/** The token of a reset mail's link (`/reset-password?token=…`), or null on any other page. */
export function passwordResetToken(): string | null {
  return location.pathname.replace(/\/$/, "") === "/reset-password" ? new URLSearchParams(location.search).get("token") : null;
}

/**
 * Email + password (sign in, create an account, ask for a reset, choose a new password from the reset
 * mail's link); a platform token or API key for the rest; the demo on a development server.
 */
export function SignIn({ notice }: { notice?: string | null }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const devAvailable = useDevSignInAvailable();
  const signupMode = useSignupMode();
  const [resetToken] = useState(passwordResetToken);
  const [mode, setMode] = useState<Mode>(resetToken ? "new-password" : "sign-in");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [token, setTokenValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [info, setInfo] = useState<string | null>(null);
  const emailId = useId();
  const passwordId = useId();
  const tokenId = useId();
  const canSignUp = signupMode.data !== undefined && signupMode.data !== "off";

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      if (mode === "new-password") {
        await requestJson("/auth/password-reset/confirm", { method: "POST", body: { token: resetToken, password }, token: null });
        history.replaceState(null, "", "/"); // the link works once: do not leave it in the address bar
        setPassword("");
        setMode("sign-in");
        setInfo(t("signIn.passwordChanged"));
        return;
      }
      if (mode === "reset") {
        const { message } = await requestJson<{ message: string }>("/auth/password-reset", {
          method: "POST",
          body: { email },
          token: null,
        });
        setInfo(message);
        return;
      }
      const { csrfToken } = await requestJson<{ csrfToken: string }>(mode === "sign-up" ? "/auth/sign-up" : "/auth/sign-in", {
        method: "POST",
        body: { email, password },
        token: null,
      });
      client.clear();
      setCookieSession(csrfToken);
    });
  }

  function onToken(event: FormEvent) {
    event.preventDefault();
    const value = token.trim().replace(/^Bearer\s+/i, "");
    void run(async () => {
      if (!value) throw new ApiError(400, "EMPTY", t("signIn.tokenEmpty"));
      try {
        await requestJson("/me", { token: value });
      } catch (caught) {
        if (caught instanceof ApiError && caught.status === 401) throw new ApiError(400, "REJECTED", t("signIn.tokenRejected"));
        throw caught;
      }
      client.clear();
      setToken(value);
    });
  }

  function devSignIn() {
    void run(async () => {
      const { token: demo } = await requestJson<{ token: string }>("/dev/sign-in", { method: "POST", token: null });
      client.clear();
      setToken(demo);
    });
  }

  const newPassword = mode === "sign-up" || mode === "new-password";
  return (
    <main id="main" className="signin">
      <div className="signin-card card">
        <div className="signin-top">
          <div className="brand brand-large">
            <span className="brand-mark" aria-hidden="true" />
            Background Remover Pro
          </div>
          <LanguageSwitch />
        </div>
        <h1>{t(`signIn.title.${mode}`)}</h1>
        <p className="muted">{t("signIn.tagline")}</p>
        {notice && (
          <p className="notice notice-info" role="status">
            {notice}
          </p>
        )}
        <form onSubmit={onSubmit} className="stack">
          {mode !== "new-password" && (
            <>
              <label htmlFor={emailId} className="field-label">
                {t("signIn.email")}
              </label>
              <input
                id={emailId}
                className="input"
                type="email"
                autoComplete="email"
                required
                value={email}
                onChange={(event) => setEmail(event.currentTarget.value)}
              />
            </>
          )}
          {mode !== "reset" && (
            <>
              <label htmlFor={passwordId} className="field-label">
                {mode === "new-password" ? t("signIn.newPassword") : t("signIn.password")}
              </label>
              <input
                id={passwordId}
                className="input"
                type="password"
                autoComplete={newPassword ? "new-password" : "current-password"}
                minLength={newPassword ? 10 : undefined}
                required
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
              {newPassword && <p className="field-hint">{t("signIn.passwordHint")}</p>}
            </>
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t("signIn.oneMoment") : t(`signIn.submit.${mode}`)}
          </button>
        </form>
        <p className="signin-switch small">
          {mode !== "sign-in" && (
            <button type="button" className="button-link" onClick={() => setMode("sign-in")}>
              {t("signIn.haveAccount")}
            </button>
          )}
          {mode !== "sign-up" && canSignUp && (
            <button type="button" className="button-link" onClick={() => setMode("sign-up")}>
              {signupMode.data === "invite" ? t("signIn.acceptInvitation") : t("signIn.createAccount")}
            </button>
          )}
          {mode !== "reset" && (
            <button type="button" className="button-link" onClick={() => setMode("reset")}>
              {t("signIn.forgot")}
            </button>
          )}
        </p>
        {info && (
          <p className="notice notice-info" role="status">
            {info}
          </p>
        )}
        {error !== null && <ErrorNotice error={error} />}
        <details className="token-signin">
          <summary>{t("signIn.tokenSummary")}</summary>
          <form onSubmit={onToken} className="stack">
            <label htmlFor={tokenId} className="field-label">
              {t("signIn.tokenLabel")}
            </label>
            <input
              id={tokenId}
              className="input"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder={t("signIn.tokenPlaceholder")}
              value={token}
              onChange={(event) => setTokenValue(event.currentTarget.value)}
            />
            <button type="submit" className="button" disabled={busy}>
              {t("signIn.tokenSubmit")}
            </button>
          </form>
        </details>
        {devAvailable.data && (
          <div className="dev-signin">
            <p className="muted">{t("signIn.devMode")}</p>
            <button type="button" className="button" disabled={busy} onClick={devSignIn}>
              {t("signIn.devSignIn")}
            </button>
          </div>
        )}
      </div>
    </main>
  );
}
