export { ApiKeyService } from "./auth/api-key.service.ts";
export type { ApiKeyView, CreateApiKeyRequest, KeyCreator } from "./auth/api-key.service.ts";
export { generateApiKey, hashApiKey } from "./auth/api-keys.ts";
export { Authenticator, SESSION_COOKIE, sessionTokenOf } from "./auth/authenticator.ts";
export { issueAccessToken, verifyAccessToken } from "./auth/tokens.ts";
export type { Principal, Role, TokenClaims } from "./auth/tokens.ts";
export { creditLedgerService } from "./credits/credit-ledger.ts";
export type { CreditMovement } from "./credits/credit-ledger.ts";
export { LINK_TTL_SECONDS, toRemovalView } from "./removal/removal-view.ts";
export type { RemovalView, WorkSource } from "./removal/removal-view.ts";
export { RemovalSettlementService } from "./removal/removal-settlement.service.ts";
export type { RemovalOutput, RemovalSettlementDeps } from "./removal/removal-settlement.service.ts";
export { CallbackDispatcher } from "./callbacks/callback-dispatcher.ts";
export type { CallbackDispatcherDeps } from "./callbacks/callback-dispatcher.ts";
export { CallbackSender } from "./callbacks/callback-sender.ts";
export type { CallbackOutcome } from "./callbacks/callback-sender.ts";
export { CallbackGuard, DEFAULT_CALLBACK_POLICY, parseTrustedHost } from "./callbacks/callback-url.ts";
export type { CallbackPolicy } from "./callbacks/callback-url.ts";
export { IntegrationService } from "./integrations/integration.service.ts";
export type {
  AvatarBatchResult,
  CarouselBatchResult,
  IntegrationCaller,
  IntegrationServiceDeps,
  PoseAutoRemoveRequest,
  ProjectBatchRequest,
  UpscalerPipelineRequest,
} from "./integrations/integration.service.ts";
export { PipelineProcessor } from "./integrations/pipeline-processor.ts";
export type { PipelineProcessorDeps } from "./integrations/pipeline-processor.ts";
export { AuthorizationSealer } from "./integrations/sealed-authorization.ts";
export { UPSCALE_FACTORS } from "@bgr/integrations";
export { RemovalHistoryService } from "./removal/removal-history.service.ts";
export type { RemovalLinks, RemovalListQuery, QueuePlace, RemovalPage, UsageStats } from "./removal/removal-history.service.ts";
export type { RateLimit, RateLimitStatus } from "@bgr/domain";
export { RemovalService } from "./removal/removal.service.ts";
export type { PipelineRequest, RemovalRunner, RemovalServiceDeps, SingleRemovalRequest } from "./removal/removal.service.ts";
export { createStorage } from "./storage/create-storage.ts";
export { LocalStorage } from "./storage/local-storage.ts";
export { S3Storage } from "./storage/s3-storage.ts";
export { UrlSigner } from "./storage/signed-url.ts";
export { DIRECT_DOWNLOAD_SECONDS, storageKeys } from "./storage/storage.ts";
export type { Storage } from "./storage/storage.ts";
export { UsersService } from "./users/users.service.ts";
export type { Account } from "./users/users.service.ts";
export { BatchProcessor } from "./batch/batch-processor.ts";
export type { BatchProcessorDeps } from "./batch/batch-processor.ts";
export { BatchService } from "./batch/batch.service.ts";
export type { BatchServiceDeps, CreateBatchRequest, StagedFile } from "./batch/batch.service.ts";
export type { BatchView } from "./batch/batch-view.ts";
export { zipEntryNames } from "./batch/zip-names.ts";
export { fingerprintOf, IDEMPOTENCY_KEY_TTL_HOURS, IdempotencyStore, parseIdempotencyKey } from "./idempotency/idempotency-store.ts";
export type { IdempotencyClaim, IdempotencyScope, IdempotentOutcome } from "./idempotency/idempotency-store.ts";
export { TaskQueue } from "./queue/task-queue.ts";
export { currentLogContext, withLogContext } from "./logging/log-context.ts";
export type { LogContext } from "./logging/log-context.ts";
export { createLogger } from "./logging/logger.ts";
export type { Logger } from "./logging/logger.ts";
export type { TaskQueueOptions, QueueTask } from "./queue/task-queue.ts";
export { QUEUES } from "./queue/queues.ts";
export type { MaintenanceQueueKey, QueueKey, QueuePayloads, ScheduledQueueKey, ServerQueueKey, WorkerQueueKey } from "./queue/queues.ts";
export { deploymentSecrets, deriveSecrets, developmentSecret, fileLinkSigningKey } from "./secrets.ts";
export { ManualPaymentProvider, signWebhookBody, WEBHOOK_SIGNATURE_HEADER } from "./subscriptions/manual-payment-provider.ts";
export type {
  PaymentEvent,
  PaymentProvider,
  PaymentStarted,
  ProviderPaymentRequest,
  WebhookHeaders,
} from "./subscriptions/payment-provider.ts";
export type { PaymentOutcome, SettledPayment } from "./subscriptions/payment-settlement.ts";
export { returnQuota, useQuotaOrDecideCredits } from "./subscriptions/quota.ts";
export type { QuotaRequest } from "./subscriptions/quota.ts";
export { SubscriptionMaintenanceService } from "./subscriptions/subscription-maintenance.service.ts";
export type { RenewalRun, SubscriptionMaintenanceDeps } from "./subscriptions/subscription-maintenance.service.ts";
export { SubscriptionService } from "./subscriptions/subscriptions.service.ts";
export type { SubscribeResult, SubscriptionServiceDeps } from "./subscriptions/subscriptions.service.ts";
export { BGR_MODES, deploymentEnvSchema, parseDeploymentEnv } from "./config/deployment-env.ts";
export { authSettingsSchema } from "./auth/auth-settings.ts";
export { callbackSettingsSchema } from "./callbacks/callback-settings.ts";
export { queueSettingsSchema } from "./queue/queue-settings.ts";
export { retentionSettingsSchema } from "./retention/retention-settings.ts";
export { storageSettingsSchema } from "./storage/storage-settings.ts";
export { quotaSettingsSchema } from "./subscriptions/quota-settings.ts";
export type { BgrMode, DataPaths, StorageConfig } from "./config/deployment-env.ts";
export { DEFAULT_RETENTION, expiredFileError, RetentionService, retentionCutoffs } from "./retention/retention.service.ts";
export type { RetentionDeps, RetentionPolicy, SweepCounts } from "./retention/retention.service.ts";
export { OperationalCounts } from "./metrics/operational-counts.ts";
export type { FinalRemovalStatus } from "./metrics/operational-counts.ts";
export { TierCatalog } from "./tiers/tier-catalog.ts";
export type { TierListing } from "./tiers/tier-catalog.ts";
export { PaymentsService } from "./payments/payments.service.ts";
export type { CreditPackCatalog, PaymentsServiceDeps } from "./payments/payments.service.ts";
export { INVOICE_CALLBACK_SIGNATURE_HEADER, InvoiceGatewayProvider } from "./payments/invoice-gateway.provider.ts";
export type { InvoiceGatewayConfig } from "./payments/invoice-gateway.provider.ts";
export { AdminService } from "./admin/admin.service.ts";
export type { AdminServiceDeps } from "./admin/admin.service.ts";
export { AccountsService, LOGIN_THROTTLE, SIGNUP_MODES } from "./accounts/accounts.service.ts";
export type { AccountsServiceDeps, SignedIn, SignupMode } from "./accounts/accounts.service.ts";
export { OutboxMailer } from "./accounts/mailer.ts";
export { NotificationService } from "./notifications/notification.service.ts";
export type { NotificationPreferences, NotificationServiceDeps } from "./notifications/notification.service.ts";
export type { Mail, Mailer } from "./accounts/mailer.ts";
export { hashPassword, verifyPassword } from "./accounts/password.ts";
export { SmtpMailer } from "./accounts/smtp-mailer.ts";
export type { SmtpConfig } from "./accounts/smtp-mailer.ts";
export { notEditableReason, ResultEditorService } from "./results/result-editor.service.ts";
export type { MatteComposer, MatteVersionView, ResultEditorDeps } from "./results/result-editor.service.ts";
export { layoutOf } from "./results/composition-layout.ts";
