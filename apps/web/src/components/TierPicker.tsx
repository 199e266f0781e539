import { useTranslation } from "react-i18next";
import type { Subscription } from "../api/contracts.ts";
import type { Tier, TierPrices } from "../api/trpc.ts";
import { planCoverage } from "../lib/coverage.ts";
import { formatCredits } from "../lib/format.ts";
import { tierLabel, tierPurpose, TIER_ORDER } from "../lib/tiers.ts";

interface TierPickerProps {
  value: Tier;
  onChange: (tier: Tier) => void;
  prices: TierPrices | undefined;
  subscription: Subscription | null | undefined;
  disabled?: boolean;
  /** Batches are always paid in credits, so plan coverage is not shown for them. */
  showCoverage?: boolean;
}

/** The four quality tiers as a radio group: price, purpose, and whether the plan pays. */
export function TierPicker({ value, onChange, prices, subscription, disabled = false, showCoverage = true }: TierPickerProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="tiers" disabled={disabled}>
      <legend>{t("tiers.legend")}</legend>
      <div className="tier-grid">
        {TIER_ORDER.map((tier) => {
          const coverage = planCoverage(subscription, tier);
          const price = prices?.[tier];
          return (
            <label key={tier} className={`tier${value === tier ? " selected" : ""}`}>
              <input type="radio" name="tier" value={tier} checked={value === tier} onChange={() => onChange(tier)} />
              <span className="tier-head">
                <span className="tier-name">{tierLabel(tier)}</span>
                <span className="tier-price">{price === undefined ? "…" : formatCredits(price)}</span>
              </span>
              <span className="tier-purpose">{tierPurpose(tier)}</span>
              {showCoverage && <span className={`tier-coverage${coverage.covered ? " covered" : ""}`}>{coverage.note}</span>}
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
