import type { NotificationKind } from "@bgr/domain/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { keys } from "../../api/queries.ts";
import { trpc } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";

/** Which mails the user gets; each switch saves at once. */
export function NotificationSettings() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const preferences = useQuery({ queryKey: keys.notifications, queryFn: () => trpc.account.notifications.query() });
  const save = useMutation({
    mutationFn: (disabled: NotificationKind[]) => trpc.account.setNotifications.mutate({ disabled }),
    onSuccess: (data) => client.setQueryData(keys.notifications, data),
  });
  const kinds = preferences.data?.kinds ?? [];
  // The choice being saved is held in state set in the same event as the click, so the
  // switch never renders its old value between the click and the mutation starting.
  const [saving, setSaving] = useState<NotificationKind[] | null>(null);
  const off = saving ?? kinds.filter((k) => !k.enabled).map((k) => k.kind);
  function toggle(kind: NotificationKind, enabled: boolean) {
    const disabled = kinds.map((k) => k.kind).filter((k) => (k === kind ? !enabled : off.includes(k)));
    setSaving(disabled);
    save.mutate(disabled, { onSettled: () => setSaving(null) });
  }
  return (
    <section className="card stack" aria-labelledby="notifications-title">
      <h2 id="notifications-title" className="card-title">
        {t("notifications.title")}
      </h2>
      <p className="muted small">{t("notifications.lead")}</p>
      {preferences.isPending && <p className="muted">{t("common.loading")}</p>}
      {preferences.isError && <ErrorNotice error={preferences.error} />}
      {kinds.map(({ kind }) => (
        <label key={kind} className="scope-option">
          <input
            type="checkbox"
            checked={!off.includes(kind)}
            disabled={saving !== null}
            onChange={(event) => toggle(kind, event.target.checked)}
          />
          <span>
            <strong>{t(`notifications.kinds.${kind}.label`)}</strong>{" "}
            <span className="muted small">{t(`notifications.kinds.${kind}.when`)}</span>
          </span>
        </label>
      ))}
      <p role="status" className="muted small">
        {saving !== null ? t("notifications.saving") : save.isSuccess ? t("notifications.saved") : ""}
      </p>
      {save.isError && <ErrorNotice error={save.error} />}
    </section>
  );
}
