import { useMutation, useQueryClient } from "@tanstack/react-query";
import { keys, useSubscription } from "../../api/queries.ts";
import { trpc } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { capitalise, formatDateTime, formatRupiah, formatUntil } from "../../lib/format.ts";
import { TIER_INFO } from "../../lib/tiers.ts";

/** Plan, today's quotas and when they reset; or, without a plan, what the plans offer. Subscribe, cancel and resume here. */
export function SubscriptionCard() {
  const client = useQueryClient();
  const subscription = useSubscription();
  const data = subscription.data;
  const refresh = () => void client.invalidateQueries({ queryKey: keys.subscription });
  const subscribe = useMutation({ mutationFn: (plan: "starter" | "pro") => trpc.subscription.subscribe.mutate({ plan }), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => trpc.subscription.cancel.mutate({}), onSuccess: refresh });
  const busy = subscribe.isPending || cancel.isPending;
  const pending = data?.pendingPayment ?? null;
  return (
    <section className="card subscription" aria-labelledby="subscription-title">
      <h2 id="subscription-title" className="card-title">
        Subscription
      </h2>
      {subscription.isPending && <p className="muted">Loading…</p>}
      {subscription.isError && <p className="muted">Could not load your plan right now.</p>}
      {data && !data.hasSubscription && (
        <>
          <p className="plan-line">
            <span className="plan-name">No plan</span>
            <span className="muted">removals are paid with credits</span>
          </p>
          {data.availablePlans.length > 0 && (
            <details className="plans-details" open={pending !== null || undefined}>
              <summary>Plans from {formatRupiah(Math.min(...data.availablePlans.map((p) => p.price)))} a month</summary>
              <ul className="plans">
                {data.availablePlans.map((plan) => (
                  <li key={plan.name}>
                    <strong>{capitalise(plan.name)}</strong> {formatRupiah(plan.price)}/month: {plan.dailyQuota} removals a day
                    {plan.professionalQuota ? ` (${plan.professionalQuota} professional)` : ""}, {plan.allowedTiers.map((t) => TIER_INFO[t]?.label ?? t).join(", ")}{" "}
                    <button type="button" className="button button-small" disabled={busy || pending?.plan === plan.name} onClick={() => subscribe.mutate(plan.name)}>
                      {pending?.plan === plan.name ? "Waiting for payment" : `Subscribe to ${capitalise(plan.name)}`}
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
            <span className="plan-name">{capitalise(data.plan)} plan</span>
            <span className={`status status-${data.status}`}>{data.status.replace("_", " ")}</span>
          </p>
          <Quota label="Today" used={data.quotas.daily.used} limit={data.quotas.daily.limit} remaining={data.quotas.daily.remaining} />
          {data.quotas.professionalTier && (
            <Quota
              label="Professional today"
              used={data.quotas.professionalTier.used}
              limit={data.quotas.professionalTier.limit}
              remaining={data.quotas.professionalTier.remaining}
            />
          )}
          <p className="muted small">
            Resets {formatUntil(data.quotas.daily.resetsAt)} ({formatDateTime(data.quotas.daily.resetsAt)})
            {data.billing.nextBillingDate ? ` · renews ${formatDateTime(data.billing.nextBillingDate)}` : ""}
          </p>
          <p className="muted small">Covers {data.allowedTiers.map((t) => TIER_INFO[t]?.label ?? t).join(", ")}; other tiers use credits.</p>
          {data.status === "cancelled" ? (
            <button type="button" className="button button-small" disabled={busy} onClick={() => subscribe.mutate(data.plan)}>
              Resume {capitalise(data.plan)}
            </button>
          ) : data.status === "active" ? (
            <button type="button" className="button button-quiet button-small" disabled={busy} onClick={() => cancel.mutate()}>
              Cancel renewal
            </button>
          ) : null}
        </>
      )}
      {pending && (
        <p className="notice notice-info small plan-payment" role="status" data-testid="plan-payment">
          {formatRupiah(pending.amount)} for the {capitalise(pending.plan)} plan is waiting for payment {pending.paymentId}
          {pending.checkoutUrl ? (
            <>
              {" "}
              on <a href={pending.checkoutUrl} target="_blank" rel="noopener noreferrer">the payment page</a>
            </>
          ) : (
            "; an admin confirms it once received"
          )}
          . The plan starts as soon as it is paid.
        </p>
      )}
      {subscribe.isError && <ErrorNotice error={subscribe.error} />}
      {cancel.isError && <ErrorNotice error={cancel.error} />}
    </section>
  );
}

function Quota({ label, used, limit, remaining }: { label: string; used: number; limit: number; remaining: number }) {
  const fraction = limit > 0 ? used / limit : 1;
  return (
    <div className="quota">
      <div className="quota-text">
        <span>{label}</span>
        <span>
          <strong>{remaining}</strong> of {limit} left
        </span>
      </div>
      <div className="quota-track" role="meter" aria-label={`${label}: ${used} of ${limit} used`} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used}>
        <div className="quota-fill" style={{ width: `${Math.min(100, fraction * 100)}%` }} />
      </div>
    </div>
  );
}
