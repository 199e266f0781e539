import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { formatCredits, formatDateTime } from "../../lib/format.ts";
import { statusLabel } from "../../lib/statuses.ts";
import { tierLabel } from "../../lib/tiers.ts";

const adminKeys = { users: ["admin", "users"] as const, payments: ["admin", "payments"] as const, jobs: ["admin", "jobs"] as const };

/** `/admin`: users and balances, payments waiting for money, recent jobs; grant credits, confirm payments. The server checks the role. */
export function AdminPanel() {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="admin-title">
      <div className="panel-head">
        <h1 id="admin-title">{t("admin.title")}</h1>
        <p className="muted">{t("admin.lead")}</p>
      </div>
      <PendingPayments />
      <Users />
      <RecentJobs />
    </section>
  );
}

function PendingPayments() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const payments = useQuery({ queryKey: adminKeys.payments, queryFn: () => trpc.admin.payments.query() });
  const settle = useMutation({
    mutationFn: (input: { paymentId: string; status: "paid" | "failed" }) => trpc.admin.settlePayment.mutate(input),
    onSettled: () => client.invalidateQueries({ queryKey: ["admin"] }),
  });
  const pending = (payments.data ?? []).filter((p) => p.status === "pending");
  return (
    <section className="card" aria-labelledby="admin-payments-title">
      <h2 id="admin-payments-title" className="card-title">
        {t("admin.pendingTitle")} {payments.data ? <span className="muted">({pending.length})</span> : null}
      </h2>
      {payments.isError && <ErrorNotice error={payments.error} />}
      {payments.data && pending.length === 0 && <p className="muted">{t("admin.noPending")}</p>}
      {pending.length > 0 && (
        <table className="table" data-testid="admin-payments">
          <thead>
            <tr>
              <th scope="col">{t("admin.payment")}</th>
              <th scope="col">{t("admin.user")}</th>
              <th scope="col">{t("admin.amount")}</th>
              <th scope="col">{t("admin.created")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("admin.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pending.map((payment) => (
              <tr key={payment.paymentId}>
                <td data-label="Payment" data-heading={t("admin.payment")}>
                  <code className="cell-name">{payment.paymentId}</code>{" "}
                  <span className="muted small">
                    {payment.purpose === "credits" ? formatCredits(payment.credits ?? 0) : t("admin.plan", { plan: payment.plan ?? "" })}
                  </span>
                </td>
                <td data-label="User" data-heading={t("admin.user")}>
                  {payment.userId}
                </td>
                <td data-label="Amount" data-heading={t("admin.amount")}>
                  {payment.amountLabel}
                </td>
                <td data-label="Created" data-heading={t("admin.created")}>
                  {formatDateTime(payment.createdAt)}
                </td>
                <td data-label="Links">
                  <span className="cell-links">
                    <button
                      type="button"
                      className="button button-small button-primary"
                      disabled={settle.isPending}
                      onClick={() => settle.mutate({ paymentId: payment.paymentId, status: "paid" })}
                      aria-label={t("admin.confirmLabel", { id: payment.paymentId })}
                    >
                      {t("admin.confirm")}
                    </button>
                    <button
                      type="button"
                      className="button button-small"
                      disabled={settle.isPending}
                      onClick={() => settle.mutate({ paymentId: payment.paymentId, status: "failed" })}
                      aria-label={t("admin.failLabel", { id: payment.paymentId })}
                    >
                      {t("admin.fail")}
                    </button>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {settle.isError && <ErrorNotice error={settle.error} />}
    </section>
  );
}

function Users() {
  const { t } = useTranslation();
  const users = useQuery({ queryKey: adminKeys.users, queryFn: () => trpc.admin.users.query() });
  return (
    <section className="card" aria-labelledby="admin-users-title">
      <h2 id="admin-users-title" className="card-title">
        {t("admin.usersTitle")} {users.data ? <span className="muted">({users.data.length})</span> : null}
      </h2>
      {users.isError && <ErrorNotice error={users.error} />}
      {users.data && (
        <table className="table" data-testid="admin-users">
          <thead>
            <tr>
              <th scope="col">{t("admin.user")}</th>
              <th scope="col">{t("admin.role")}</th>
              <th scope="col">{t("admin.balance")}</th>
              <th scope="col">{t("admin.grant")}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((user) => (
              <tr key={user.userId}>
                <td data-label="User" data-heading={t("admin.user")}>
                  {user.email ?? user.userId}
                  {user.email && <span className="muted small"> {user.userId}</span>}
                </td>
                <td data-label="Role" data-heading={t("admin.role")}>
                  {t(`admin.roles.${user.role}`)}
                </td>
                <td data-label="Balance" data-heading={t("admin.balance")}>
                  {formatCredits(user.creditBalance)}
                </td>
                <td data-label="Grant" data-heading={t("admin.grant")}>
                  <GrantCredits userId={user.userId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Credits with a reason, which the ledger keeps; one request key per form, so a double click lands once. */
function GrantCredits({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [requestKey, setRequestKey] = useState(() => crypto.randomUUID());
  const grant = useMutation({
    mutationFn: () => trpc.admin.grantCredits.mutate({ userId, amount: Number(amount), reason, requestKey }),
    onSuccess: () => {
      setAmount("");
      setReason("");
      setRequestKey(crypto.randomUUID());
      return client.invalidateQueries({ queryKey: ["admin"] });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    grant.mutate();
  }
  return (
    <form className="grant-form" onSubmit={submit} aria-label={t("admin.grantLabel", { user: userId })}>
      <input
        className="input input-small"
        type="number"
        min={1}
        step={1}
        required
        placeholder={t("admin.credits")}
        aria-label={t("admin.credits")}
        value={amount}
        onChange={(event) => setAmount(event.currentTarget.value)}
      />
      <input
        className="input input-small"
        required
        maxLength={500}
        placeholder={t("admin.reason")}
        aria-label={t("admin.reason")}
        value={reason}
        onChange={(event) => setReason(event.currentTarget.value)}
      />
      <button type="submit" className="button button-small" disabled={grant.isPending}>
        {t("admin.grantSubmit")}
      </button>
      {grant.isError && <ErrorNotice error={grant.error} />}
    </form>
  );
}

function RecentJobs() {
  const { t } = useTranslation();
  const jobs = useQuery({ queryKey: adminKeys.jobs, queryFn: () => trpc.admin.jobs.query() });
  return (
    <section className="card" aria-labelledby="admin-jobs-title">
      <h2 id="admin-jobs-title" className="card-title">
        {t("admin.jobsTitle")}
      </h2>
      {jobs.isError && <ErrorNotice error={jobs.error} />}
      {jobs.data && jobs.data.length === 0 && <p className="muted">{t("admin.noJobs")}</p>}
      {jobs.data && jobs.data.length > 0 && (
        <table className="table" data-testid="admin-jobs">
          <thead>
            <tr>
              <th scope="col">{t("admin.job")}</th>
              <th scope="col">{t("admin.user")}</th>
              <th scope="col">{t("admin.tier")}</th>
              <th scope="col">{t("admin.status")}</th>
              <th scope="col">{t("admin.created")}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.data.map((job) => (
              <tr key={job.id}>
                <td data-label="Job" data-heading={t("admin.job")}>
                  <code className="cell-name">{job.id}</code>
                </td>
                <td data-label="User" data-heading={t("admin.user")}>
                  {job.userId}
                </td>
                <td data-label="Tier" data-heading={t("admin.tier")}>
                  {tierLabel(job.tier)}
                </td>
                <td data-label="Status" data-heading={t("admin.status")}>
                  <span className={`status status-${job.status}`}>{statusLabel(job.status)}</span>
                </td>
                <td data-label="Created" data-heading={t("admin.created")}>
                  {formatDateTime(job.createdAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
