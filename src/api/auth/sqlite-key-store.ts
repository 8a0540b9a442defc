import type Database from 'better-sqlite3';
import type { KeyStore, StoredKey } from './key-store.js';
import type { Role, Scope } from './roles.js';

interface KeyRow {
  key_id: string;
  role: Role;
  name: string;
  hash: string;
  scopes: string;
  purposes: string;
  source: string | null;
  subject: string | null;
  rate: number;
  created_at: number;
  revoked_at: number | null;
}

const toKey = (r: KeyRow): StoredKey => ({
  keyId: r.key_id,
  role: r.role,
  name: r.name,
  hash: r.hash,
  scopes: JSON.parse(r.scopes) as Scope[],
  purposes: JSON.parse(r.purposes) as string[],
  source: r.source,
  subject: r.subject,
  rate: r.rate,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** API keys in the `api_keys` table. */
export class SqliteKeyStore implements KeyStore {
  readonly #get: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #revoke: Database.Statement;
  readonly #list: Database.Statement;
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#get = db.prepare('SELECT * FROM api_keys WHERE key_id = ?');
    this.#insert = db.prepare(
      `INSERT INTO api_keys (key_id, role, name, hash, scopes, purposes, source, subject, rate, created_at, revoked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#revoke = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL');
    this.#list = db.prepare('SELECT * FROM api_keys ORDER BY created_at, key_id');
  }

  get(keyId: string): StoredKey | undefined {
    const r = this.#get.get(keyId) as KeyRow | undefined;
    return r ? toKey(r) : undefined;
  }

  insert(k: StoredKey): void {
    this.#insert.run(
      k.keyId,
      k.role,
      k.name,
      k.hash,
      JSON.stringify(k.scopes),
      JSON.stringify(k.purposes),
      k.source,
      k.subject,
      k.rate,
      k.createdAt,
      k.revokedAt,
    );
  }

  revoke(keyId: string, at: number): boolean {
    return this.#revoke.run(at, keyId).changes === 1;
  }

  atomically<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  list(): StoredKey[] {
    return (this.#list.all() as KeyRow[]).map(toKey);
  }
}
