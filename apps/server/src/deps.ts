import type { Authenticator, BatchService, IntegrationService, JobsService, RemovalService, Storage, SubscriptionService, UrlSigner, UsersService } from "@bgr/core";
import type { PublicImageFetcher } from "@bgr/integrations";
import type { DevSignIn } from "./dev-sign-in.ts";

/** Everything the HTTP layer calls into; built once by main.ts (or a test) and passed in. */
export interface ServerDeps {
  authenticator: Authenticator;
  storage: Storage;
  signer: UrlSigner;
  now: () => Date;
  /** Where uploads are staged before validation (deleted after each request). */
  stagingDir: string;
  /** Downloads user-given image URLs (remove.bg's image_url, bg_image_url): public hosts only. */
  imageUrls: PublicImageFetcher;
  /** Present only in the embedded default or with DEV_SIGN_IN=true: enables POST /dev/sign-in. */
  devSignIn?: DevSignIn | null;
  services: {
    removal: RemovalService;
    jobs: JobsService;
    batches: BatchService;
    users: UsersService;
    subscriptions: SubscriptionService;
    integrations: IntegrationService;
  };
}
