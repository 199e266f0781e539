import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { keys, useRefreshAccount, useSubscription, useTierPrices } from "../../api/queries.ts";
import { trpc, type Job, type Tier } from "../../api/trpc.ts";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { TierPicker } from "../../components/TierPicker.tsx";
import { planCoverage } from "../../lib/coverage.ts";
import { formatCredits } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { tierLabel, TIER_ORDER } from "../../lib/tiers.ts";

/** Runs the stored original again at another tier: a new job, charged as one, with no upload. */
export function TryAnotherTier({ job }: { job: Job }) {
  const { t } = useTranslation();
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
  const cost = covered ? t("common.planSuffix") : price !== undefined ? ` · ${formatCredits(price)}` : "";

  return (
    <section className="panel" aria-labelledby="another-tier-title">
      <div className="panel-head">
        <h2 id="another-tier-title">{t("anotherTier.title")}</h2>
        <p className="muted">{t("anotherTier.lead")}</p>
      </div>
      <TierPicker value={tier} onChange={setTier} prices={prices.data} subscription={subscription.data} disabled={rerun.isPending} />
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={tier === job.tier || rerun.isPending}
          onClick={() => rerun.mutate(tier)}
        >
          {tier === job.tier
            ? t("anotherTier.same", { tier: tierLabel(tier) })
            : rerun.isPending
              ? t("common.working")
              : t("anotherTier.again", { tier: tierLabel(tier), cost })}
        </button>
      </div>
      {rerun.isPending && <ProgressBar label={t("anotherTier.progress", { tier: tierLabel(tier) })} detail={t("common.usuallySeconds")} />}
      {rerun.isError && <ErrorNotice error={rerun.error} />}
    </section>
  );
}
