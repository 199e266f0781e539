import type {
  AccountsService,
  NotificationService,
  AdminService,
  ApiKeyService,
  Authenticator,
  OutboxMailer,
  BatchService,
  IdempotencyStore,
  IntegrationService,
  RemovalHistoryService,
  PaymentsService,
  RemovalService,
  ResultEditorService,
  RetentionService,
  Storage,
  SubscriptionService,
  TierCatalog,
  UrlSigner,
  UsersService,
} from "@bgr/core";
import type { PublicImageFetcher } from "@bgr/integrations";
import type { DevSignIn } from "./dev-sign-in.ts";
import type { ServerMetrics } from "./metrics.ts";

/** Everything the HTTP layer calls into; built once by main.ts (or a test) and passed in. */
export interface ServerDeps {
  authenticator: Authenticator;
  storage: Storage;
  signer: UrlSigner;
  now: () => Date;
  /** Where uploads are staged before validation (deleted after each request). */
  stagingDir: string;
  /** Remembers Idempotency-Key requests (POST /remove, /batch, the integrations). */
  idempotency: IdempotencyStore;
  /** Prometheus metrics of this process; `token` (METRICS_TOKEN) null turns /metrics off. */
  metrics: { registry: ServerMetrics; token: string | null };
  /** What /health/ready checks: each resolves when its dependency answers. */
  readiness: { database: () => Promise<unknown>; queue: () => Promise<unknown> };
  /** Downloads user-given image URLs (remove.bg's image_url, bg_image_url): public hosts only. */
  imageUrls: PublicImageFetcher;
  /** Present only with BGR_MODE=development: enables POST /dev/sign-in. */
  devSignIn?: DevSignIn | null;
  /** The dev outbox when no SMTP server is configured (tests read the reset links from it); null with SMTP. */
  outbox: OutboxMailer | null;
  /** The session cookie's Secure flag (COOKIE_SECURE). */
  cookieSecure: "auto" | "true" | "false";
  services: {
    removal: RemovalService;
    jobs: RemovalHistoryService;
    batches: BatchService;
    users: UsersService;
    payments: PaymentsService;
    accounts: AccountsService;
    admin: AdminService;
    apiKeys: ApiKeyService;
    subscriptions: SubscriptionService;
    integrations: IntegrationService;
    tiers: TierCatalog;
    notifications: NotificationService;
    /** The result editor: matte versions and server-side composition. */
    editor: ResultEditorService;
    /** Tells an expired file (410) from a missing one (404). */
    retention: RetentionService;
  };
}
