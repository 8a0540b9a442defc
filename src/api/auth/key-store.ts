import type { Principal } from './roles.js';

/** A stored key: the principal it stands for and the scrypt hash of its token. */
export interface StoredKey extends Principal {
  readonly hash: string;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** The port for API keys. Tokens never reach it, only their hashes. */
export interface KeyStore {
  get(keyId: string): StoredKey | undefined;
  insert(key: StoredKey): void;
  revoke(keyId: string, at: number): boolean;
  list(): StoredKey[];
  /**
   * Up to `limit` keys of `list`'s order (oldest first, then by keyId) after the key `after`
   * (from the first when undefined); undefined when no key is `after`.
   */
  page(after: string | undefined, limit: number): StoredKey[] | undefined;
  /**
   * The furnisher keys of the first `limit` sources (by name) after `after` that hold one, each
   * source's in `list`'s order; revoked ones too.
   */
  sourceKeys(after: string, limit: number): Map<string, StoredKey[]>;
  /**
   * A number that moves whenever any writer (another process too) changes a key: what a cache of
   * verified keys is checked against. Absent when the store cannot tell.
   */
  readonly version?: (() => number) | undefined;
  /** Runs `fn` in one transaction with the store's writes (all of it, or none). */
  atomically?<T>(fn: () => T): T;
}
