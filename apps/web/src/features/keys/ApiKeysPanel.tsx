import { API_PREFIX } from "@bgr/domain/api-prefix";
import { API_KEY_SCOPE_DESCRIPTIONS, API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, type ApiKeyScope } from "@bgr/domain/scopes";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { keys, useApiKeys } from "../../api/queries.ts";
import { trpc, type RouterOutputs } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { capitalise, formatDateTime } from "../../lib/format.ts";

type ApiKey = RouterOutputs["apiKeys"]["list"][number];
type CreatedKey = RouterOutputs["apiKeys"]["create"];

/** Keys for calling the API from the user's own code: create (the secret is shown once), list and revoke. */
export function ApiKeysPanel() {
  const [created, setCreated] = useState<CreatedKey | null>(null);
  return (
    <section className="panel" aria-labelledby="keys-title">
      <div className="panel-head">
        <h1 id="keys-title">API keys</h1>
        <p className="muted">
          Call the API from your own code with <code>Authorization: Bearer &lt;key&gt;</code> (or <code>X-API-Key</code>). A key can do only what its scopes allow;{" "}
          <a href={`${API_PREFIX}/docs`} target="_blank" rel="noopener noreferrer">
            the API reference
          </a>{" "}
          lists the routes.
        </p>
      </div>
      {created ? <NewKey created={created} onDone={() => setCreated(null)} /> : <CreateKey onCreated={setCreated} />}
      <KeyList />
    </section>
  );
}

function CreateKey({ onCreated }: { onCreated: (key: CreatedKey) => void }) {
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
        Create a key
      </h2>
      <label className="stack key-field">
        <span className="field-label">Name</span>
        <input className="input" value={name} maxLength={100} required placeholder="e.g. shop backend" onChange={(event) => setName(event.target.value)} />
        <span className="field-hint">Where the key will be used, so you know which one to revoke later.</span>
      </label>
      <fieldset className="stack key-scopes">
        <legend className="field-label">Scopes</legend>
        {API_KEY_SCOPES.map((scope) => (
          <label key={scope} className="scope-option">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(event) => toggle(scope, event.target.checked)} />
            <span>
              <strong>{capitalise(scope)}</strong> <span className="muted small">{API_KEY_SCOPE_DESCRIPTIONS[scope]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {create.isError && <ErrorNotice error={create.error} />}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={create.isPending || scopes.length === 0 || name.trim() === ""}>
          {create.isPending ? "Creating…" : "Create key"}
        </button>
        {scopes.length === 0 && <span className="muted small">Choose at least one scope.</span>}
      </div>
    </form>
  );
}

/** The secret, this once: the server keeps only its hash. */
function NewKey({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
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
        Key “{created.name}” created
      </h2>
      <p className="notice notice-warn small">Copy it now: this is the only time it is shown. If you lose it, revoke it and create another.</p>
      <div className="input-row">
        <code className="key-secret" aria-label="Your new API key" data-testid="new-key">
          {created.key}
        </code>
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="muted small" role="status">
        {copied === "failed" ? "The browser did not allow copying; select the key and copy it by hand." : `Scopes: ${created.scopes.join(", ")}.`}
      </p>
      <div className="actions">
        <button type="button" className="button" onClick={onDone}>
          Done, I have saved it
        </button>
      </div>
    </section>
  );
}

function KeyList() {
  const list = useApiKeys();
  return (
    <section className="card history" aria-labelledby="key-list-title">
      <h2 id="key-list-title" className="card-title">
        Your keys {list.data ? <span className="muted">({list.data.length})</span> : null}
      </h2>
      {list.isPending && <p className="muted">Loading…</p>}
      {list.isError && <ErrorNotice error={list.error} />}
      {list.data && list.data.length === 0 && <p className="muted">No keys yet.</p>}
      {list.data && list.data.length > 0 && (
        <table className="table keys-table" data-testid="keys-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Status</span>
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
        <td data-label="Name">
          <strong className="cell-name">{apiKey.name}</strong>
        </td>
        <td data-label="Key">
          <code>{apiKey.prefix}…</code>
        </td>
        <td data-label="Scopes">{apiKey.scopes.join(", ")}</td>
        <td data-label="Created">{formatDateTime(apiKey.createdAt)}</td>
        <td data-label="Last used">{apiKey.lastUsedAt ? formatDateTime(apiKey.lastUsedAt) : "Never"}</td>
        <td data-label="Status">
          {apiKey.revokedAt ? (
            <span className="status status-cancelled" title={`Revoked ${formatDateTime(apiKey.revokedAt)}`}>
              Revoked
            </span>
          ) : (
            <button type="button" className="button button-small" aria-label={`Revoke ${apiKey.name}`} aria-expanded={confirming} disabled={confirming} onClick={() => setConfirming(true)}>
              Revoke
            </button>
          )}
        </td>
      </tr>
      {confirming && !apiKey.revokedAt && (
        <tr className="key-confirm-row">
          <td colSpan={6}>
            <div className="confirm" role="group" aria-label={`Confirm revoking ${apiKey.name}`}>
              <span>Revoke “{apiKey.name}”? Requests with this key get 401 at once; this cannot be undone.</span>
              <button type="button" className="button button-danger button-small" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
                {revoke.isPending ? "Revoking…" : "Yes, revoke"}
              </button>
              <button type="button" className="button button-quiet button-small" onClick={() => setConfirming(false)}>
                Keep it
              </button>
            </div>
            {revoke.isError && <ErrorNotice error={revoke.error} />}
          </td>
        </tr>
      )}
    </>
  );
}
