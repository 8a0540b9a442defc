import { randomBytes } from 'node:crypto';
import { ROLE_PREFIX, type Role } from './roles.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const KEY_ID_LENGTH = 10;
const SECRET_LENGTH = 32;
const TOKEN = /^cred_(furnisher|rp|person|operator)_([A-Za-z0-9]{10})([A-Za-z0-9]{32})$/;

function randomText(n: number): string {
  // 62 symbols: drop bytes >= 248 so every symbol is equally likely.
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 248 && out.length < n) out += ALPHABET[b % 62];
    }
  }
  return out;
}

/**
 * A new API key: `cred_<role>_<key id><secret>`. The key id (10 characters) finds the stored
 * hash; only the scrypt hash of the whole token is kept.
 *
 * @example
 * newKeyToken('relying-party') // { keyId: 'k3J9aQ0xZb', token: 'cred_rp_k3J9aQ0xZb…' }
 */
export function newKeyToken(role: Role): { keyId: string; token: string } {
  const keyId = randomText(KEY_ID_LENGTH);
  return { keyId, token: `cred_${ROLE_PREFIX[role]}_${keyId}${randomText(SECRET_LENGTH)}` };
}

/** The key id of a well-formed token, else undefined. */
export function parseKeyToken(token: string): { keyId: string; prefix: string } | undefined {
  const m = TOKEN.exec(token);
  return m ? { prefix: m[1] as string, keyId: m[2] as string } : undefined;
}

/**
 * The token of an `Authorization: Bearer <token>` header, else undefined. The scheme is read in any
 * case (RFC 9110 §11.1: `bearer` and `BEARER` are `Bearer`); the common spelling is tried first, as
 * this runs on every request.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length < 8) return undefined;
  if (!header.startsWith('Bearer ') && header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return header.slice(7).trim();
}
