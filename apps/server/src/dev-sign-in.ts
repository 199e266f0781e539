import { issueAccessToken, type TokenClaims, type UsersService } from "@bgr/core";

export const DEV_USER_ID = "demo";
export const DEV_STARTING_CREDITS = 100;

/** One-click sign-in for local use: only composed with BGR_MODE=development. */
export interface DevSignIn {
  signIn(): Promise<{ token: string; userId: string }>;
}

export function createDevSignIn(users: UsersService, jwtSecret: string, claims: TokenClaims = {}): DevSignIn {
  return {
    async signIn() {
      await users.ensure(DEV_USER_ID);
      // A fixed idempotency key: the demo account gets its starting credits once, not on every sign-in.
      await users.grant(DEV_USER_ID, DEV_STARTING_CREDITS, "dev-sign-in:demo");
      return { token: await issueAccessToken(DEV_USER_ID, "user", jwtSecret, undefined, claims), userId: DEV_USER_ID };
    },
  };
}
