export { API_PREFIX, FILES_ROUTE, TRPC_PATH } from "./api-prefix.ts";
export { PAGINATION, PAGINATION_HINT } from "./pagination.ts";
export { finalBatchStatus, progressPercent } from "./batch-outcome.ts";
export type { FinalBatchStatus } from "./batch-outcome.ts";
export { fitsUnderQuota, quotaCaps } from "./quota-cap.ts";
export { queueEtaSeconds } from "./queue-estimate.ts";
export { EXPIRABLE_STATUSES, accessHasRunOut, renewalReminderWindow } from "./subscription-upkeep.ts";
export type { QuotaCaps } from "./quota-cap.ts";
export { assertUnderRateLimit, rateLimitStatus, windowStart } from "./rate-window.ts";
export type { RateLimit, RateLimitStatus, WindowCount } from "./rate-window.ts";
export { DOMAIN_ERROR_CODES, DomainError, busy, insufficientCredits, isDomainError, rateLimited } from "./errors.ts";
export type { DomainErrorCode, DomainErrorDetails, DomainErrorDetailsByCode } from "./errors.ts";
export { ERROR_TABLE, errorRowOf } from "./error-table.ts";
export type { ErrorTableRow, TrpcErrorCode } from "./error-table.ts";
export { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES, assertScope, isApiKeyScope, parseScopes } from "./scopes.ts";
export type { ApiKeyScope } from "./scopes.ts";
export { NOTIFICATION_KINDS, RENEWAL_REMINDER_DAYS, batchNotificationKind, parseNotificationKinds } from "./notifications.ts";
export type { NotificationKind } from "./notifications.ts";
export { FILE_NAME_LIMITS, capFileName, hasControlCharacters, storedFileName, truncateText } from "./file-names.ts";
export type { FileNameLimits } from "./file-names.ts";
export { BATCH_LIMITS, SINGLE_LIMITS, assertBatchImageCount, assertBatchUpload, assertFileSize } from "./limits.ts";
export {
  TIER_CREDITS,
  VOLUME_DISCOUNTS,
  cheapestBatchFrom,
  isTier,
  parseTier,
  priceBatch,
  priceSingle,
  settleBatch,
  shareOf,
  tierNames,
  volumeDiscountFor,
} from "./pricing.ts";
export type { BatchCharge, BatchPricing, BatchSettlement, VolumeDiscount } from "./pricing.ts";
export {
  CREDIT_PACKS,
  CREDIT_PACK_IDS,
  CURRENCY,
  creditCostLine,
  creditPackViews,
  formatRupiah,
  isCreditPackId,
  pricePerCredit,
} from "./money.ts";
export type { CreditPack, CreditPackId, CreditPackView, Currency } from "./money.ts";
export { PAYMENT_STATES, paymentViewOf } from "./payment-view.ts";
export type { PaymentFacts, PaymentState, PaymentView } from "./payment-view.ts";
export { receiptFileName, receiptItem, renderReceipt, RECEIPT_PRODUCT } from "./receipt.ts";
export type { ReceiptFacts } from "./receipt.ts";
export { PLANS, PLAN_NAMES, SUBSCRIBABLE_TIERS, availablePlans, isPlanName } from "./plans.ts";
export type { AvailablePlan, PlanName, SubscriptionPlan } from "./plans.ts";
export { DEFAULT_QUOTA_TIME_ZONE, isValidTimeZone, quotaDay } from "./quota-day.ts";
export type { QuotaDay } from "./quota-day.ts";
export { SUBSCRIPTION_STATUSES, decidePayment, subscriptionIsActive } from "./decision.ts";
export type {
  BatchRemovalRequest,
  CreditsReason,
  PaymentDecision,
  PaymentRequest,
  SingleRemovalRequest,
  SubscriptionSnapshot,
  SubscriptionStatus,
  UsageToday,
} from "./decision.ts";
export { DEFAULT_SUBSCRIPTION_GRACE_DAYS, PAYMENT_PURPOSES, addMonths, graceEndsAt, nextPeriodEnd, periodAfterPayment } from "./billing.ts";
export type { BillingPeriod, PaidPeriod, PaymentPurpose } from "./billing.ts";
export { subscriptionView } from "./subscription-view.ts";
export type {
  ActiveSubscriptionView,
  NoSubscriptionView,
  PendingPaymentView,
  QuotaCounter,
  SubscriptionFacts,
  SubscriptionView,
  SubscriptionViewInput,
} from "./subscription-view.ts";
export { TIER_NAMES } from "./tiers.ts";
export type { TierName } from "./tiers.ts";
export { IMAGE_MIME_TYPES, sniffImageFormat } from "./image-format.ts";
export type { ImageFormat } from "./image-format.ts";
export { SIBLING_APPS } from "./sibling-apps.ts";
export type { ProjectApp, SiblingApp } from "./sibling-apps.ts";
export {
  ASPECT_PRESETS,
  BACKGROUND_FITS,
  COMPOSE_FORMATS,
  COMPOSE_SIZES,
  MAX_CROP_MARGIN_PERCENT,
  PLAIN_BATCH_OPTIONS,
  PLAIN_COMPOSITION,
  SHADOW_TYPES,
} from "./editor.ts";
export type { AspectPreset, BackgroundFit, BatchOptions, ComposeFormat, ComposeRequest, ComposeSize, ShadowType } from "./editor.ts";
export { BATCH_NAME_MAX_LENGTH, parseBatchName } from "./batch-names.ts";
export { formatMatteSource, parseMatteSource } from "./matte-source.ts";
export type { MatteSource } from "./matte-source.ts";
export { checkedSettingsList, parseHostPort, parseSettings, settingsList } from "./settings.ts";
export type { HostPort, SettingsIssues, SettingsSchema } from "./settings.ts";
