export { Authenticator, type IssueKeyInput } from './authenticator.js';
export {
  clientOf,
  FAILED_AUTH_LIMITS,
  FailedAuthLimiter,
  type FailedAuthLimits,
} from './failed-auth-limiter.js';
export { hashKey, sameDigest, tokenDigest, verifyKey } from './key-hash.js';
export type { KeyStore, StoredKey } from './key-store.js';
export { bearerToken, newKeyToken, parseKeyToken } from './key-token.js';
export { RateLimiter } from './rate-limiter.js';
export {
  DEFAULT_RATE,
  OPTIONAL_SCOPES,
  type Principal,
  ROLE_PREFIX,
  ROLE_SCOPES,
  ROLES,
  type Role,
  SCOPES,
  type Scope,
} from './roles.js';
export { SqliteKeyStore } from './sqlite-key-store.js';
