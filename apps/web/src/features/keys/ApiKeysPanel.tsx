import { API_PREFIX } from "@bgr/domain/api-prefix";
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, type ApiKeyScope } from "@bgr/domain/scopes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { keys, useApiKeys } from "../../api/queries.ts";
import { trpc, type RouterOutputs } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { formatDateTime } from "../../lib/format.ts";

type ApiKey = RouterOutputs["apiKeys"]["list"][number];
type CreatedKey = RouterOutputs["apiKeys"]["create"];

/** Keys for calling the API from the user's own code: create (the secret is shown once), list and revoke. */
export function ApiKeysPanel() {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  return (
    <section className="panel" aria-labelledby="keys-title">
      <div className="panel-head">
        <h1 id="keys-title">{t("keys.title")}</h1>
        <p className="muted">
          <Trans
            i18nKey="keys.lead"
            components={{
              header: <code>Authorization: Bearer &lt;key&gt;</code>,
              alternative: <code>X-API-Key</code>,
              docs: <a href={`${API_PREFIX}/docs`} target="_blank" rel="noopener noreferrer" />,
            }}
          />
        </p>
      </div>
      {created ? <NewKey created={created} onDone={() => setCreated(null)} /> : <CreateKey onCreated={setCreated} />}
      <KeyList />
    </section>
  );
}

function CreateKey({ onCreated }: { onCreated: (key: CreatedKey) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>([...DEFAULT_API_KEY_SCOPES]);
  const create = useMutation({
    mutationFn: () => trpc.apiKeys.create.mutate({ name, scopes }),
    onSuccess: (key) => {
      void client.invalidateQueries({ queryKey: keys.apiKeys });
      onCreated(key);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }
  function toggle(scope: ApiKeyScope, on: boolean) {
    // Kept in the vocabulary's order, as the server stores them.
    setScopes((current) => API_KEY_SCOPES.filter((s) => (s === scope ? on : current.includes(s))));
  }
  return (
    <form className="card stack key-form" aria-labelledby="create-key-title" onSubmit={submit}>
      <h2 id="create-key-title" className="card-title">
        {t("keys.create.title")}
      </h2>
      <label className="stack key-field">
        <span className="field-label">{t("keys.create.name")}</span>
        <input
          className="input"
          value={name}
          maxLength={100}
          required
          placeholder={t("keys.create.placeholder")}
          onChange={(event) => setName(event.target.value)}
        />
        <span className="field-hint">{t("keys.create.nameHint")}</span>
      </label>
      <fieldset className="stack key-scopes">
        <legend className="field-label">{t("keys.create.scopes")}</legend>
        {API_KEY_SCOPES.map((scope) => (
          <label key={scope} className="scope-option">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(event) => toggle(scope, event.target.checked)} />
            <span>
              <strong>{t(`keys.scopeNames.${scope}`)}</strong> <span className="muted small">{t(`keys.scopes.${scope}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {create.isError && <ErrorNotice error={create.error} />}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={create.isPending || scopes.length === 0 || name.trim() === ""}>
          {create.isPending ? t("keys.create.creating") : t("keys.create.submit")}
        </button>
        {scopes.length === 0 && <span className="muted small">{t("keys.create.noScope")}</span>}
      </div>
    </form>
  );
}

/** The secret, this once: the server keeps only its hash. */
function NewKey({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <section className="card stack new-key" aria-labelledby="new-key-title">
      <h2 id="new-key-title" className="card-title">
        {t("keys.created.title", { name: created.name })}
      </h2>
      <p className="notice notice-warn small">{t("keys.created.warning")}</p>
      <div className="input-row">
        <code className="key-secret" aria-label={t("keys.created.secretLabel")} data-testid="new-key">
          {created.key}
        </code>
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          {copied === "yes" ? t("keys.created.copied") : t("keys.created.copy")}
        </button>
      </div>
      <p className="muted small" role="status">
        {copied === "failed" ? t("keys.created.copyFailed") : t("keys.created.scopes", { scopes: created.scopes.join(", ") })}
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={onDone}>
          {t("keys.created.done")}
        </button>
      </div>
    </section>
  );
}

function KeyList() {
  const { t } = useTranslation();
  const list = useApiKeys();
  return (
    <section className="card history" aria-labelledby="key-list-title">
      <h2 id="key-list-title" className="card-title">
        {t("keys.list.title")} {list.data ? <span className="muted">({list.data.length})</span> : null}
      </h2>
      {list.isPending && <p className="muted">{t("common.loading")}</p>}
      {list.isError && <ErrorNotice error={list.error} />}
      {list.data && list.data.length === 0 && <p className="muted">{t("keys.list.empty")}</p>}
      {list.data && list.data.length > 0 && (
        <table className="table keys-table" data-testid="keys-table">
          <thead>
            <tr>
              <th scope="col">{t("keys.list.columns.name")}</th>
              <th scope="col">{t("keys.list.columns.key")}</th>
              <th scope="col">{t("keys.list.columns.scopes")}</th>
              <th scope="col">{t("keys.list.columns.created")}</th>
              <th scope="col">{t("keys.list.columns.lastUsed")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("keys.list.columns.status")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((key) => (
              <KeyRow key={key.id} apiKey={key} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => trpc.apiKeys.revoke.mutate({ keyId: apiKey.id }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.apiKeys });
      setConfirming(false);
    },
  });
  // The confirmation takes a row of its own: squeezed into the last cell it would not fit.
  return (
    <>
      <tr data-testid="key-row" data-key-id={apiKey.id}>
        <td data-label="Name" data-heading={t("keys.list.columns.name")}>
          <strong className="cell-name">{apiKey.name}</strong>
        </td>
        <td data-label="Key" data-heading={t("keys.list.columns.key")}>
          <code>{apiKey.prefix}…</code>
        </td>
        <td data-label="Scopes" data-heading={t("keys.list.columns.scopes")}>
          {apiKey.scopes.join(", ")}
        </td>
        <td data-label="Created" data-heading={t("keys.list.columns.created")}>
          {formatDateTime(apiKey.createdAt)}
        </td>
        <td data-label="Last used" data-heading={t("keys.list.columns.lastUsed")}>
          {apiKey.lastUsedAt ? formatDateTime(apiKey.lastUsedAt) : t("keys.list.never")}
        </td>
        <td data-label="Status" data-heading={t("keys.list.columns.status")}>
          {apiKey.revokedAt ? (
            <span className="status status-cancelled" title={t("keys.list.revokedAt", { date: formatDateTime(apiKey.revokedAt) })}>
              {t("keys.list.revoked")}
            </span>
          ) : (
            <button
              type="button"
              className="button button-small"
              aria-label={t("keys.list.revokeLabel", { name: apiKey.name })}
              aria-expanded={confirming}
              disabled={confirming}
              onClick={() => setConfirming(true)}
            >
              {t("keys.list.revoke")}
            </button>
          )}
        </td>
      </tr>
      {confirming && !apiKey.revokedAt && (
        <tr className="key-confirm-row">
          <td colSpan={6}>
            <div className="confirm" role="group" aria-label={t("keys.list.confirmLabel", { name: apiKey.name })}>
              <span>{t("keys.list.confirm", { name: apiKey.name })}</span>
              <button
                type="button"
                className="button button-danger button-small"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate()}
              >
                {revoke.isPending ? t("keys.list.revoking") : t("keys.list.yesRevoke")}
              </button>
              <button type="button" className="button button-quiet button-small" onClick={() => setConfirming(false)}>
                {t("keys.list.keep")}
              </button>
            </div>
            {revoke.isError && <ErrorNotice error={revoke.error} />}
          </td>
        </tr>
      )}
    </>
  );
}
