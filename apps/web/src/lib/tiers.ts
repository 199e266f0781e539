import { TIER_NAMES } from "@bgr/domain/tiers";
import type { Tier } from "../api/trpc.ts";
import { i18n } from "../i18n/i18n.ts";

/** Cheapest first, as the product lists them. */
export const TIER_ORDER: readonly Tier[] = TIER_NAMES;
function isTier(value: string): value is Tier {
  return (TIER_ORDER as readonly string[]).includes(value);
}

/** A tier's name in the active language; an unknown name from the server is shown as it came. */
export function tierLabel(tier: string): string {
  return isTier(tier) ? i18n.t(`tiers.${tier}.label`) : tier;
}

/** What each tier is for, in the words of someone choosing one (prices come from the server). */
export function tierPurpose(tier: Tier): string {
  return i18n.t(`tiers.${tier}.purpose`);
}
