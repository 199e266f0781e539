import { isTierName, TIER_NAMES, type TierName } from "./tiers.ts";

export const TIER_MODELS_EXAMPLE = "industry=birefnet-portrait+isnet-fp16,professional=birefnet-general-lite+isnet-fp16";

/**
 * An operator's tier model lists, as written in TIER_MODELS or `--tier-models`: comma-separated
 * `tier=model+model…`, best first. Pure; throws with what to write instead. Model ids are checked
 * when the engine starts, against the models it knows.
 */
export function parseTierModels(text: string): Partial<Record<TierName, string[]>> {
  const lists: Partial<Record<TierName, string[]>> = {};
  const hint = `Write tier=model+model pairs separated by commas, best model first, e.g. ${TIER_MODELS_EXAMPLE} (tiers: ${TIER_NAMES.join(", ")}).`;
  for (const pair of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [tier, models, extra] = pair.split("=").map((p) => p.trim());
    if (!isTierName(tier)) throw new Error(`Unknown tier "${tier}" in "${pair}". ${hint}`);
    const ids = (models ?? "").split("+").map((m) => m.trim());
    if (extra !== undefined || ids.some((id) => id === "")) throw new Error(`"${pair}" is not tier=model+model. ${hint}`);
    if (lists[tier]) throw new Error(`Tier ${tier} is listed twice. ${hint}`);
    lists[tier] = ids;
  }
  return lists;
}
