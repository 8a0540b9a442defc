import type Database from 'better-sqlite3';
import {
  API_KEYS_SEAL,
  hasTable,
  prepareTableSealStatements,
  SEALED_TABLES,
  TableSealDelta,
  type TableSealStatements,
} from '../../store/sqlite/table-seal.js';
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

/**
 * API keys in the `api_keys` table. In a file whose store seals them (`API_KEYS_SEAL`), every
 * write keeps their seal in its own transaction, so `credence audit verify` finds a key edited,
 * added or deleted in the file by any other means.
 */
export class SqliteKeyStore implements KeyStore {
  readonly #get: Database.Statement;
  readonly #insert: Database.Statement;
  readonly #revoke: Database.Statement;
  readonly #sealedRow: Database.Statement;
  readonly #list: Database.Statement;
  readonly #createdAt: Database.Statement;
  readonly #first: Database.Statement;
  readonly #past: Database.Statement;
  readonly #sources: Database.Statement;
  readonly #ofSource: Database.Statement;
  readonly #db: Database.Database;
  readonly #seal: TableSealStatements | undefined;
  /** `api_key_version.n` (`keyVersionSchema`); undefined in a file without it. */
  readonly version: (() => number) | undefined;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#get = db.prepare('SELECT * FROM api_keys WHERE key_id = ?');
    this.#insert = db.prepare(
      `INSERT INTO api_keys (${SEALED_TABLES.api_keys}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#revoke = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL');
    this.#sealedRow = db.prepare(`SELECT ${SEALED_TABLES.api_keys} FROM api_keys WHERE key_id = ?`).raw();
    this.#list = db.prepare('SELECT * FROM api_keys ORDER BY created_at, key_id');
    // A page in the list's order, read through api_keys_created (no sort, no whole-table read).
    this.#createdAt = db.prepare('SELECT created_at FROM api_keys WHERE key_id = ?').pluck();
    this.#first = db.prepare('SELECT * FROM api_keys ORDER BY created_at, key_id LIMIT ?');
    this.#past = db.prepare(
      'SELECT * FROM api_keys WHERE (created_at, key_id) > (?, ?) ORDER BY created_at, key_id LIMIT ?',
    );
    // Furnisher keys by source, through api_keys_source (partial: furnisher keys only).
    this.#sources = db
      .prepare(
        "SELECT DISTINCT source FROM api_keys WHERE role = 'furnisher' AND source > ? ORDER BY source LIMIT ?",
      )
      .pluck();
    this.#ofSource = db.prepare(
      "SELECT * FROM api_keys WHERE role = 'furnisher' AND source = ? ORDER BY created_at, key_id",
    );
    const sealed =
      hasTable(db, 'table_seals') && (db.pragma('user_version', { simple: true }) as number) >= API_KEYS_SEAL;
    this.#seal = sealed ? prepareTableSealStatements(db) : undefined;
    const version = hasTable(db, 'api_key_version')
      ? db.prepare('SELECT n FROM api_key_version WHERE id = 1').pluck()
      : undefined;
    this.version = version ? () => version.get() as number : undefined;
  }

  /** Runs `write` in a transaction (a savepoint inside the caller's), its rows' seal kept with it. */
  #sealing<T>(write: (sealed: TableSealDelta) => T): T {
    return this.#db.transaction(() => {
      const sealed = new TableSealDelta();
      const out = write(sealed);
      if (this.#seal) sealed.commit(this.#seal);
      return out;
    })();
  }

  get(keyId: string): StoredKey | undefined {
    const r = this.#get.get(keyId) as KeyRow | undefined;
    return r ? toKey(r) : undefined;
  }

  insert(k: StoredKey): void {
    // In the sealed columns' order: the row written is the row sealed.
    const row = [
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
    ] as const;
    this.#sealing((sealed) => {
      this.#insert.run(...row);
      sealed.add('api_keys', row);
    });
  }

  revoke(keyId: string, at: number): boolean {
    return this.#sealing((sealed) => {
      if (this.#revoke.run(at, keyId).changes !== 1) return false;
      // The row as it is now, revoked; as it was, the same with no revocation time.
      const now = this.#sealedRow.get(keyId) as (string | number | null)[];
      sealed.add('api_keys', now);
      sealed.remove('api_keys', [...now.slice(0, -1), null]);
      return true;
    });
  }

  atomically<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  list(): StoredKey[] {
    return (this.#list.all() as KeyRow[]).map(toKey);
  }

  sourceKeys(after: string, limit: number): Map<string, StoredKey[]> {
    return this.#db.transaction(() => {
      const out = new Map<string, StoredKey[]>();
      for (const source of this.#sources.all(after, limit) as string[])
        out.set(source, (this.#ofSource.all(source) as KeyRow[]).map(toKey));
      return out;
    })();
  }

  page(after: string | undefined, limit: number): StoredKey[] | undefined {
    // One snapshot: the key named by `after` and the keys past it.
    return this.#db.transaction(() => {
      if (after === undefined) return (this.#first.all(limit) as KeyRow[]).map(toKey);
      const at = this.#createdAt.get(after) as number | undefined;
      if (at === undefined) return undefined;
      return (this.#past.all(at, after, limit) as KeyRow[]).map(toKey);
    })();
  }
}
