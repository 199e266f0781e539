import { API_KEY_SCOPES } from "@bgr/domain";
import type { UsersService } from "../users/users.service.ts";
import type { ApiKeyService } from "./api-key.service.ts";
import { looksLikeApiKey } from "./api-keys.ts";
import { verifyAccessToken, type Principal, type TokenClaims } from "./tokens.ts";

/**
 * Who is calling: `Authorization: Bearer <platform JWT>` for people (every scope), `Bearer bgr_…` or
 * `X-API-Key` for servers (the key's scopes). Returns null when no valid credential was given.
 */
export class Authenticator {
  constructor(
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeyService,
    private readonly jwtSecret: string,
    private readonly expectedClaims: TokenClaims = {},
  ) {}

  async authenticate(headers: { authorization?: string; "x-api-key"?: string | string[] }): Promise<Principal | null> {
    const apiKeyHeader = headers["x-api-key"];
    const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const credential = (Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader) ?? bearer;
    if (!credential) return null;
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
