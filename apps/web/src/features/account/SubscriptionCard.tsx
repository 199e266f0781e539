import { useSubscription } from "../../api/queries.ts";
import { capitalise, formatDateTime, formatRupiah, formatUntil } from "../../lib/format.ts";
import { TIER_INFO } from "../../lib/tiers.ts";

/** Plan, today's quotas and when they reset; or, without a plan, what the plans offer. */
export function SubscriptionCard() {
  const subscription = useSubscription();
  const data = subscription.data;
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
            <details className="plans-details">
              <summary>Plans from {formatRupiah(Math.min(...data.availablePlans.map((p) => p.price)))} a month</summary>
              <ul className="plans">
                {data.availablePlans.map((plan) => (
                  <li key={plan.name}>
                    <strong>{capitalise(plan.name)}</strong> {formatRupiah(plan.price)}/month: {plan.dailyQuota} removals a day
                    {plan.professionalQuota ? ` (${plan.professionalQuota} professional)` : ""}, {plan.allowedTiers.map((t) => TIER_INFO[t]?.label ?? t).join(", ")}
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
        </>
      )}
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
