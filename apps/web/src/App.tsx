import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type MouseEvent } from "react";
import { useTranslation } from "react-i18next";
import { toApiError } from "./api/errors.ts";
import { useAccount } from "./api/queries.ts";
import { requestJson } from "./api/rest.ts";
import { isCookieSession, setToken, useToken } from "./api/session.ts";
import { BuyCredits } from "./features/account/BuyCredits.tsx";
import { CreditsBadge } from "./features/account/CreditsBadge.tsx";
import { passwordResetToken, SignIn } from "./features/account/SignIn.tsx";
import { SubscriptionCard } from "./features/account/SubscriptionCard.tsx";
import { UsageCard } from "./features/account/UsageCard.tsx";
import { LanguageSwitch } from "./components/LanguageSwitch.tsx";
import { BatchPanel } from "./features/batch/BatchPanel.tsx";
import { BatchProgress } from "./features/batch/BatchProgress.tsx";
import { NotificationSettings } from "./features/account/NotificationSettings.tsx";
import { HistoryPanel } from "./features/history/HistoryPanel.tsx";
import { AdminPanel } from "./features/admin/AdminPanel.tsx";
import { ApiKeysPanel } from "./features/keys/ApiKeysPanel.tsx";
import { ResultPage } from "./features/results/ResultPage.tsx";
import { SinglePanel } from "./features/single/SinglePanel.tsx";
import { navigate, paths, useRoute, type Route } from "./lib/route.ts";

/** Signed out: the sign-in card. Signed in: header with balance, the current screen, the plan beside it. */
export function App() {
  // Subscribed here so a language switch re-renders every screen in place, keeping what was picked.
  useTranslation();
  const token = useToken();
  const [notice, setNotice] = useState<string | null>(null);
  // A reset mail's link opens the new-password form, signed in or not.
  if (!token || passwordResetToken()) return <SignIn notice={notice} />;
  return <SignedIn onSignedOut={setNotice} />;
}

function SignedIn({ onSignedOut }: { onSignedOut: (notice: string | null) => void }) {
  const client = useQueryClient();
  const route = useRoute();
  const account = useAccount();
  const { t } = useTranslation();

  function signOut(notice: string | null) {
    // A cookie session is ended on the server too; a pasted token just leaves this browser.
    if (isCookieSession() && notice === null) void requestJson("/auth/sign-out", { method: "POST" }).catch(() => undefined);
    onSignedOut(notice);
    setToken(null);
    client.clear();
  }

  // A token that expired or was revoked: back to sign-in, saying why.
  const unauthorised = account.isError && toApiError(account.error).status === 401;
  useEffect(() => {
    if (unauthorised) signOut(t("app.sessionEnded"));
  }, [unauthorised]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <header className="topbar">
        <a className="brand" href="/" aria-label={t("app.brandLabel")} onClick={link(paths.single)}>
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-full">Background Remover Pro</span>
          <span className="brand-short" aria-hidden="true">
            BG Remover
          </span>
        </a>
        <Nav route={route} />
        <div className="topbar-account">
          <CreditsBadge />
          <span className="user muted small" title={t("app.signedInAs")}>
            {account.data?.email ?? account.data?.userId}
          </span>
          <a
            className="button button-quiet button-small"
            href={paths.settings}
            aria-current={route.view === "settings" ? "page" : undefined}
            onClick={link(paths.settings)}
          >
            {t("app.settings")}
          </a>
          <LanguageSwitch compact />
          <button type="button" className="button button-quiet button-small" onClick={() => signOut(null)}>
            {t("app.signOut")}
          </button>
        </div>
      </header>
      <div className="layout" data-view={route.view}>
        <main id="main" tabIndex={-1}>
          <Screen route={route} />
        </main>
        <aside className="sidebar" aria-label={t("app.yourPlan")}>
          <BuyCredits />
          <SubscriptionCard />
          <UsageCard />
        </aside>
      </div>
    </div>
  );
}

function Screen({ route }: { route: Route }) {
  const { t } = useTranslation();
  switch (route.view) {
    case "batch":
      return <BatchPanel />;
    case "batch-detail":
      return <BatchProgress key={route.batchId} batchId={route.batchId} />;
    case "history":
      return <HistoryPanel page={route.page} />;
    case "result":
      return <ResultPage key={route.jobId} jobId={route.jobId} />;
    case "keys":
      return <ApiKeysPanel />;
    case "settings":
      return (
        <section className="panel" aria-labelledby="settings-title">
          <div className="panel-head">
            <h1 id="settings-title">{t("settings.title")}</h1>
          </div>
          <NotificationSettings />
          <AdminLink />
        </section>
      );
    case "admin":
      return <AdminPanel />;
    default:
      return <SinglePanel />;
  }
}

function Nav({ route }: { route: Route }) {
  const { t } = useTranslation();
  const items = [
    { label: t("app.nav.single"), path: paths.single, active: route.view === "single" || route.view === "result" },
    { label: t("app.nav.batch"), path: paths.batch, active: route.view === "batch" || route.view === "batch-detail" },
    { label: t("app.nav.history"), path: paths.history(), active: route.view === "history" },
    { label: t("app.nav.keys"), path: paths.keys, active: route.view === "keys" },
  ];
  return (
    <nav className="nav" aria-label={t("app.mainNav")}>
      {items.map((item) => (
        <a
          key={item.path}
          href={item.path}
          className={item.active ? "nav-link active" : "nav-link"}
          aria-current={item.active ? "page" : undefined}
          onClick={link(item.path)}
        >
          {item.label}
        </a>
      ))}
    </nav>
  );
}

/** On Settings, for admins only: the way to the administration screen. */
function AdminLink() {
  const { t } = useTranslation();
  const account = useAccount();
  if (account.data?.role !== "admin") return null;
  return (
    <section className="card stack" aria-labelledby="admin-link-title">
      <h2 id="admin-link-title" className="card-title">
        {t("admin.link")}
      </h2>
      <p className="muted small">{t("admin.linkLead")}</p>
      <a className="button" href={paths.admin} onClick={link(paths.admin)}>
        {t("admin.title")}
      </a>
    </section>
  );
}

/** In-app navigation for plain links; modified clicks (new tab) keep the browser's behaviour. */
function link(path: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    navigate(path);
  };
}
