import type { ApiKey, Database, UserRole } from "@bgr/db";
import { API_KEY_SCOPES, assertScope, DEFAULT_API_KEY_SCOPES, DomainError, parseScopes, parseTier, type ApiKeyScope } from "@bgr/domain";
import { userRepository } from "../users/user.repository.ts";
import { apiKeyRepository } from "./api-key.repository.ts";
import { generateApiKey, hashApiKey } from "./api-keys.ts";

/** What a key's owner sees of it: never the secret, which is shown once at creation. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** The key's first characters (`bgr_AbC…`), to tell keys apart. */
  prefix: string;
  scopes: ApiKeyScope[];
  defaultTier: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreateApiKeyRequest {
  name: string;
  /** Defaults to DEFAULT_API_KEY_SCOPES. */
  scopes?: readonly unknown[];
  /** The tier calls with this key run at when they name none (remove.bg's API). */
  defaultTier?: string;
}

/** Who asks for a key: a key can only hand out scopes its creator holds (a "keys" key cannot mint a "billing" one). */
export interface KeyCreator {
  userId: string;
  scopes: readonly ApiKeyScope[];
}

const NAME_MAX = 100;

/** API keys: create (secret shown once), list, revoke, and the lookup every key-authenticated request makes. */
export class ApiKeyService {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  async create(creator: KeyCreator, request: CreateApiKeyRequest): Promise<ApiKeyView & { key: string }> {
    const name = request.name.trim();
    if (name.length === 0 || name.length > NAME_MAX)
      throw new DomainError("INVALID_OPTIONS", `Give the key a name of 1 to ${NAME_MAX} characters, e.g. "shop backend".`);
    const scopes = request.scopes === undefined ? [...DEFAULT_API_KEY_SCOPES] : parseScopes(request.scopes);
    for (const scope of scopes) assertScope(creator.scopes, scope);
    const defaultTier = request.defaultTier === undefined ? null : parseTier(request.defaultTier);
    const { key, prefix, hash } = generateApiKey();
    const row = await apiKeyRepository.insert(this.db, {
      userId: creator.userId,
      name,
      keyHash: hash,
      keyPrefix: prefix,
      scopes,
      defaultTier,
      createdAt: this.now(),
    });
    return { ...toView(row), key };
  }

  /** Every key of the user, newest first; revoked ones stay listed with `revokedAt`. */
  async list(userId: string): Promise<ApiKeyView[]> {
    return (await apiKeyRepository.ofUser(this.db, userId)).map(toView);
  }

  /** Revokes at once: the next request with the key is a 401. Revoking twice is a no-op. */
  async revoke(userId: string, keyId: string): Promise<ApiKeyView> {
    const row = await apiKeyRepository.revoke(this.db, userId, keyId, this.now());
    if (!row) throw new DomainError("NOT_FOUND", `No API key ${keyId} in your account. GET /api-keys lists yours.`);
    return toView(row);
  }

  /** The owner and scopes of a live key, recording its use; null for unknown or revoked keys. */
  async authenticate(key: string): Promise<{ userId: string; role: UserRole; defaultTier: string | null; scopes: ApiKeyScope[] } | null> {
    const row = await apiKeyRepository.touchLive(this.db, hashApiKey(key), this.now());
    if (!row) return null;
    const user = await userRepository.find(this.db, row.userId);
    return user ? { userId: row.userId, role: user.role, defaultTier: row.defaultTier, scopes: knownScopes(row.scopes) } : null;
  }
}

// A scope name this version does not know grants nothing.
function knownScopes(stored: readonly string[]): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((scope) => stored.includes(scope));
}

function toView(row: ApiKey): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.keyPrefix,
    scopes: knownScopes(row.scopes),
    defaultTier: row.defaultTier,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
