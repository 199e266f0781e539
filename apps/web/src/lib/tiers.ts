import { TIER_NAMES } from "@bgr/domain/tiers";
import type { Tier } from "../api/trpc.ts";

/** What each tier is for, in the words of someone choosing one (prices come from the server). */
export const TIER_INFO: Record<Tier, { label: string; purpose: string }> = {
  basic: { label: "Basic", purpose: "Fast cut-outs for previews, thumbnails and simple backgrounds." },
  standard: { label: "Standard", purpose: "Clean, edge-aware outlines for product photos and everyday shots." },
  professional: { label: "Professional", purpose: "Hair, fur and soft edges without colour fringes, for print and shops." },
  industry: { label: "Industry", purpose: "Most detail: a second high-resolution pass on the subject." },
};

/** Cheapest first, as the product lists them. */
export const TIER_ORDER: readonly Tier[] = TIER_NAMES;
