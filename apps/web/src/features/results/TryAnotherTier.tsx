import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { keys, useRefreshAccount, useSubscription, useTierPrices } from "../../api/queries.ts";
import { trpc, type Job, type Tier } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { TierPicker } from "../../components/TierPicker.tsx";
import { planCoverage } from "../../lib/coverage.ts";
import { formatCredits } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { TIER_INFO, TIER_ORDER } from "../../lib/tiers.ts";

/** Runs the stored original again at another tier: a new job, charged as one, with no upload. */
export function TryAnotherTier({ job }: { job: Job }) {
  const client = useQueryClient();
  const prices = useTierPrices();
  const subscription = useSubscription();
  const refresh = useRefreshAccount();
  const [tier, setTier] = useState<Tier>(TIER_ORDER.find((t) => t !== job.tier) ?? job.tier);
  const rerun = useMutation({
    mutationFn: (to: Tier) => trpc.jobs.rerun.mutate({ jobId: job.jobId, tier: to }),
    onSuccess: (next) => {
      client.setQueryData(keys.job(next.jobId), next);
      navigate(paths.result(next.jobId));
    },
    onSettled: () => refresh(),
  });
  const price = prices.data?.[tier];
  const covered = planCoverage(subscription.data, tier).covered;
  const cost = covered ? " (plan)" : price !== undefined ? ` · ${formatCredits(price)}` : "";

  return (
    <section className="panel" aria-labelledby="another-tier-title">
      <div className="panel-head">
        <h2 id="another-tier-title">Try another tier</h2>
        <p className="muted">The same image again, without uploading it. Charged as a new removal; this result stays.</p>
      </div>
      <TierPicker value={tier} onChange={setTier} prices={prices.data} subscription={subscription.data} disabled={rerun.isPending} />
      <div className="actions">
        <button type="button" className="button button-primary" disabled={tier === job.tier || rerun.isPending} onClick={() => rerun.mutate(tier)}>
          {tier === job.tier ? `This result is ${TIER_INFO[tier].label}` : rerun.isPending ? "Working…" : `Remove again at ${TIER_INFO[tier].label}${cost}`}
        </button>
      </div>
      {rerun.isPending && <ProgressBar label={`Removing the background at ${TIER_INFO[tier].label}…`} detail="usually a few seconds" />}
      {rerun.isError && <ErrorNotice error={rerun.error} />}
    </section>
  );
}
