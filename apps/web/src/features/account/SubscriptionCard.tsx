import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Trans, useTranslation } from "react-i18next";
import { keys, useSubscription } from "../../api/queries.ts";
import { trpc } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { capitalise, formatDateTime, formatNumber, formatRupiah, formatUntil } from "../../lib/format.ts";
import { tierLabel } from "../../lib/tiers.ts";

/** Plan, today's quotas and when they reset; or, without a plan, what the plans offer. Subscribe, cancel and resume here. */
export function SubscriptionCard() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const subscription = useSubscription();
  const data = subscription.data;
  const refresh = () => void client.invalidateQueries({ queryKey: keys.subscription });
  const subscribe = useMutation({
    mutationFn: (plan: "starter" | "pro") => trpc.subscription.subscribe.mutate({ plan }),
    onSuccess: refresh,
  });
  const cancel = useMutation({ mutationFn: () => trpc.subscription.cancel.mutate({}), onSuccess: refresh });
  const busy = subscribe.isPending || cancel.isPending;
  const pending = data?.pendingPayment ?? null;
  return (
    <section className="card subscription" aria-labelledby="subscription-title">
      <h2 id="subscription-title" className="card-title">
        {t("subscription.title")}
      </h2>
      {subscription.isPending && <p className="muted">{t("common.loading")}</p>}
      {subscription.isError && <p className="muted">{t("subscription.loadFailed")}</p>}
      {data && !data.hasSubscription && (
        <>
          <p className="plan-line">
            <span className="plan-name">{t("subscription.noPlan")}</span>
            <span className="muted">{t("subscription.noPlanNote")}</span>
          </p>
          {data.availablePlans.length > 0 && (
            <details className="plans-details" open={pending !== null || undefined}>
              <summary>
                {t("subscription.plansFrom", { price: formatRupiah(Math.min(...data.availablePlans.map((p) => p.price))) })}
              </summary>
              <ul className="plans">
                {data.availablePlans.map((plan) => (
                  <li key={plan.name}>
                    <Trans
                      i18nKey="subscription.planOffer"
                      values={{ plan: capitalise(plan.name), price: formatRupiah(plan.price), daily: formatNumber(plan.dailyQuota) }}
                      components={{ b: <strong /> }}
                    />
                    {plan.professionalQuota ? t("subscription.professionalQuota", { count: plan.professionalQuota }) : ""},{" "}
                    {tierList(plan.allowedTiers)}{" "}
                    <button
                      type="button"
                      className="button button-small"
                      disabled={busy || pending?.plan === plan.name}
                      onClick={() => subscribe.mutate(plan.name)}
                    >
                      {pending?.plan === plan.name
                        ? t("subscription.waitingPayment")
                        : t("subscription.subscribe", { plan: capitalise(plan.name) })}
                    </button>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      {data && data.hasSubscription && (
        <>
          <p className="plan-line">
            <span className="plan-name">{t("subscription.plan", { plan: capitalise(data.plan) })}</span>
            <span className={`status status-${data.status}`}>{t(`subscription.statuses.${data.status}`)}</span>
          </p>
          <Quota
            label={t("subscription.today")}
            used={data.quotas.daily.used}
            limit={data.quotas.daily.limit}
            remaining={data.quotas.daily.remaining}
          />
          {data.quotas.professionalTier && (
            <Quota
              label={t("subscription.professionalToday")}
              used={data.quotas.professionalTier.used}
              limit={data.quotas.professionalTier.limit}
              remaining={data.quotas.professionalTier.remaining}
            />
          )}
          <p className="muted small">
            {t("subscription.resets", { when: formatUntil(data.quotas.daily.resetsAt), date: formatDateTime(data.quotas.daily.resetsAt) })}
            {data.billing.nextBillingDate ? t("subscription.renews", { date: formatDateTime(data.billing.nextBillingDate) }) : ""}
          </p>
          <p className="muted small">{t("subscription.covers", { tiers: tierList(data.allowedTiers) })}</p>
          {data.status === "cancelled" ? (
            <button type="button" className="button button-small" disabled={busy} onClick={() => subscribe.mutate(data.plan)}>
              {t("subscription.resume", { plan: capitalise(data.plan) })}
            </button>
          ) : data.status === "active" ? (
            <button type="button" className="button button-quiet button-small" disabled={busy} onClick={() => cancel.mutate()}>
              {t("subscription.cancelRenewal")}
            </button>
          ) : null}
        </>
      )}
      {pending && (
        <p className="notice notice-info small plan-payment" role="status" data-testid="plan-payment">
          <Trans
            i18nKey={pending.checkoutUrl ? "subscription.pendingOnPage" : "subscription.pendingAdmin"}
            values={{ amount: formatRupiah(pending.amount), plan: capitalise(pending.plan), paymentId: pending.paymentId }}
            components={{ page: <a href={pending.checkoutUrl ?? undefined} target="_blank" rel="noopener noreferrer" /> }}
          />
        </p>
      )}
      {subscribe.isError && <ErrorNotice error={subscribe.error} />}
      {cancel.isError && <ErrorNotice error={cancel.error} />}
    </section>
  );
}

/** "Basic, Standard, Professional" in the active language. */
function tierList(tiers: readonly string[]): string {
  return tiers.map(tierLabel).join(", ");
}

function Quota({ label, used, limit, remaining }: { label: string; used: number; limit: number; remaining: number }) {
  const { t } = useTranslation();
  const fraction = limit > 0 ? used / limit : 1;
  return (
    <div className="quota">
      <div className="quota-text">
        <span>{label}</span>
        <span>
          <Trans
            i18nKey="subscription.quotaLeft"
            values={{ remaining: formatNumber(remaining), limit: formatNumber(limit) }}
            components={{ b: <strong /> }}
          />
        </span>
      </div>
      <div
        className="quota-track"
        role="meter"
        aria-label={t("subscription.quotaUsed", { label, used: formatNumber(used), limit: formatNumber(limit) })}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={used}
      >
        <div className="quota-fill" style={{ width: `${Math.min(100, fraction * 100)}%` }} />
      </div>
    </div>
  );
}
