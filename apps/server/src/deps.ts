import type { Authenticator, JobsService, RemovalService, Storage, UrlSigner, UsersService } from "@bgr/core";

/** Everything the HTTP layer calls into; built once by main.ts (or a test) and passed in. */
export interface ServerDeps {
  authenticator: Authenticator;
  storage: Storage;
  signer: UrlSigner;
  now: () => Date;
  services: {
    removal: RemovalService;
    jobs: JobsService;
    users: UsersService;
  };
}
