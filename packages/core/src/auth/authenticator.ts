import { API_KEY_SCOPES } from "@bgr/domain";
import type { AccountsService } from "../accounts/accounts.service.ts";
import type { UsersService } from "../users/users.service.ts";
import type { ApiKeyService } from "./api-key.service.ts";
import { looksLikeApiKey } from "./api-keys.ts";
import { verifyAccessToken, type Principal, type TokenClaims } from "./tokens.ts";

/** The standalone session's cookie (HttpOnly, so scripts never see it). */
export const SESSION_COOKIE = "bgr_session";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Who is calling: `Authorization: Bearer <platform JWT>` or a standalone session cookie (whose
 * changes must carry X-CSRF-Token) for people, who hold every scope; `Bearer bgr_…` or `X-API-Key`
 * for servers, with the key's scopes. Returns null when no valid credential was given.
 */
export class Authenticator {
  constructor(
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeyService,
    private readonly jwtSecret: string,
    private readonly expectedClaims: TokenClaims = {},
    private readonly accounts: AccountsService | null = null,
  ) {}

  /** Throws FORBIDDEN for a cookie-authenticated change without the session's CSRF token. */
  async authenticate(
    headers: { authorization?: string; "x-api-key"?: string | string[]; cookie?: string; "x-csrf-token"?: string | string[] },
    method = "GET",
  ): Promise<Principal | null> {
    const apiKeyHeader = headers["x-api-key"];
    const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const credential = (Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader) ?? bearer;
    if (!credential) {
      const session = sessionTokenOf(headers.cookie);
      if (!session || !this.accounts) return null;
      const principal = await this.accounts.principalForSession(session);
      if (principal && !SAFE_METHODS.has(method.toUpperCase())) {
        const csrf = headers["x-csrf-token"];
        this.accounts.assertCsrf(session, Array.isArray(csrf) ? csrf[0] : csrf);
      }
      return principal;
    }
    if (looksLikeApiKey(credential)) {
      const owner = await this.apiKeys.authenticate(credential);
      return owner ? { ...owner, via: "api-key" } : null;
    }
    const claims = await verifyAccessToken(credential, this.jwtSecret, this.expectedClaims);
    if (!claims) return null;
    await this.users.ensure(claims.userId, claims.role);
    return { ...claims, via: "jwt", scopes: API_KEY_SCOPES };
  }
}

/** The session token from a Cookie header, if any. */
export function sessionTokenOf(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE && value.length) return decodeURIComponent(value.join("="));
  }
  return null;
}
