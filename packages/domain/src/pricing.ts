/**
 * The product's one pricing function (spec 4.1.1, 8.3). Every price shown, charged or refunded is
 * computed here, so the quote the user sees and the amount taken can never disagree.
 * Credits are whole numbers; every rounding favours the house by less than one credit.
 */
import { TIER_NAMES, type TierName } from "./tiers.ts";
import { DomainError } from "./errors.ts";

/** Credits per image, by tier. `satisfies` keeps this in step with the tier list at compile time. */
export const TIER_CREDITS = Object.freeze({
  basic: 3,
  standard: 8,
  professional: 15,
  industry: 25,
} as const satisfies Record<TierName, number>);

export interface VolumeDiscount {
  minImages: number;
  maxImages: number;
  discountPercentage: number;
}

/** Contiguous ranges from 1 to 500 images; a count outside them cannot be priced. */
export const VOLUME_DISCOUNTS: readonly Readonly<VolumeDiscount>[] = Object.freeze(
  [
    { minImages: 1, maxImages: 19, discountPercentage: 0 },
    { minImages: 20, maxImages: 50, discountPercentage: 5 },
    { minImages: 51, maxImages: 100, discountPercentage: 10 },
    { minImages: 101, maxImages: 200, discountPercentage: 15 },
    { minImages: 201, maxImages: 500, discountPercentage: 20 },
  ].map((d) => Object.freeze(d)),
);

const MIN_PRICED_IMAGES = 1;
const MAX_PRICED_IMAGES = 500;

/** The spec 3.2.2 `pricing` object, verbatim. */
export interface BatchPricing {
  baseCreditsPerImage: number;
  baseTotal: number;
  discountPercentage: number;
  discountAmount: number;
  finalTotal: number;
  /** finalTotal / images, unrounded (e.g. 7.2); for display only, never charged per item. */
  creditsPerImageAfterDiscount: number;
}

export function tierNames(): TierName[] {
  return [...TIER_NAMES];
}

export function isTier(value: unknown): value is TierName {
  return typeof value === "string" && (TIER_NAMES as readonly string[]).includes(value);
}

/** Validates a tier from untrusted input (a form field, a job payload). */
export function parseTier(value: unknown): TierName {
  if (!isTier(value)) {
    throw new DomainError("INVALID_TIER", `Unknown quality tier ${JSON.stringify(value)}. Choose one of: ${TIER_NAMES.join(", ")}.`);
  }
  return value;
}

/** Credits for one image through POST /remove; singles get no volume discount. */
export function priceSingle(tier: TierName): number {
  return TIER_CREDITS[parseTier(tier)];
}

/**
 * Price of `imageCount` images of one tier. Accepts 1..500 so a quote can be shown while the user is
 * still picking files; the batch endpoint itself also needs assertBatchImageCount (2..500).
 */
export function priceBatch(tier: TierName, imageCount: number): BatchPricing {
  const baseCreditsPerImage = TIER_CREDITS[parseTier(tier)];
  const { discountPercentage } = volumeDiscountFor(imageCount);
  const baseTotal = baseCreditsPerImage * imageCount;
  // Integer product before dividing: baseTotal * (pct / 100) can land a hair under a whole number
  // in floating point and floor one credit too few.
  const discountAmount = Math.floor((baseTotal * discountPercentage) / 100);
  const finalTotal = baseTotal - discountAmount;
  return {
    baseCreditsPerImage,
    baseTotal,
    discountPercentage,
    discountAmount,
    finalTotal,
    creditsPerImageAfterDiscount: finalTotal / imageCount,
  };
}

export function volumeDiscountFor(imageCount: number): Readonly<VolumeDiscount> {
  const rule = Number.isInteger(imageCount)
    ? VOLUME_DISCOUNTS.find((d) => imageCount >= d.minImages && imageCount <= d.maxImages)
    : undefined;
  if (!rule) {
    throw new DomainError(
      "INVALID_IMAGE_COUNT",
      imageCount > MAX_PRICED_IMAGES
        ? `At most ${MAX_PRICED_IMAGES} images can be priced together and this is ${imageCount}. Split them into several batches.`
        : `The number of images must be a whole number from ${MIN_PRICED_IMAGES} to ${MAX_PRICED_IMAGES}; got ${imageCount}. Add at least one image.`,
      { actual: imageCount, min: MIN_PRICED_IMAGES, max: MAX_PRICED_IMAGES },
    );
  }
  return rule;
}

/**
 * The least any batch of at least `imageCount` images can cost: what an upload must be able to pay
 * once it holds that many files. Not simply priceBatch(imageCount), since a bigger batch can cost
 * less at a discount boundary (201 basic images cost less than 200), so a refusal here is final.
 */
export function cheapestBatchFrom(tier: TierName, imageCount: number, maxImages = MAX_PRICED_IMAGES): number {
  const starts = VOLUME_DISCOUNTS.map((d) => d.minImages).filter((start) => start > imageCount && start <= maxImages);
  return Math.min(...[imageCount, ...starts].map((count) => priceBatch(tier, count).finalTotal));
}

/** What a batch charged up front, as stored with the batch (spec 3.2.3: totalImages, pricing.totalCredits). */
export interface BatchCharge {
  tier: TierName;
  totalImages: number;
  /** The quote: priceBatch(tier, totalImages).finalTotal, debited when the batch was created. */
  finalTotal: number;
}

export interface BatchSettlement {
  /** What the batch finally costs: the volume price of the items that succeeded, never more than the quote. */
  netTotal: number;
  /** Credits to give back: finalTotal - netTotal. */
  refund: number;
}

/**
 * The batch's final price once every item has settled (done, failed or cancelled). A customer pays
 * exactly the volume price of what they got, with that count's own discount, so padding a batch with
 * images that fail cannot buy a bigger discount; and never more than the quote they accepted (at a
 * discount boundary, e.g. 200 of 201, the smaller batch's price can be higher than the quote).
 */
export function settleBatch(charge: BatchCharge, succeededCount: number): BatchSettlement {
  const { tier, totalImages, finalTotal } = charge;
  // Bookkeeping invariants, not user input: breaking one is a bug in the caller (a RangeError, a server fault).
  if (!Number.isInteger(totalImages) || totalImages < 1) throw new RangeError(`totalImages must be a positive integer, got ${totalImages}`);
  if (!Number.isInteger(finalTotal) || finalTotal < 0) throw new RangeError(`finalTotal must be a non-negative integer, got ${finalTotal}`);
  if (!Number.isInteger(succeededCount) || succeededCount < 0 || succeededCount > totalImages) {
    throw new RangeError(`succeededCount must be a whole number from 0 to ${totalImages}, got ${succeededCount}`);
  }
  const earned = succeededCount === 0 ? 0 : priceBatch(tier, succeededCount).finalTotal;
  const netTotal = Math.min(earned, finalTotal);
  return { netTotal, refund: finalTotal - netTotal };
}

/**
 * Item `index`'s share of `total` credits spread over `count` items, for showing what each item cost:
 * floor(total * (index + 1) / count) - floor(total * index / count), so the shares add up to `total` exactly.
 */
export function shareOf(total: number, count: number, index: number): number {
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`Item ${index} of ${count} has no share`);
  }
  return Math.floor((total * (index + 1)) / count) - Math.floor((total * index) / count);
}
