import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataWatch } from '../services/data-watch.js';
import { apiSchema, keyVersionSchema } from '../sqlite/api-schema.js';
import { Authenticator } from './authenticator.js';
import { hashKey } from './key-hash.js';
import type { KeyStore } from './key-store.js';
import { SqliteKeyStore } from './sqlite-key-store.js';

// Two connections on one file, as a server and another process (a second server, `credence purge`)
// are: a key the server verified was trusted for 30 seconds whatever the other wrote. It now
// follows the other's commit on its next check, a turn of the event loop later (as a request is).
let dir: string;
let file: string;
const open = (): Database.Database => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(apiSchema);
  db.exec(keyVersionSchema);
  return db;
};
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const refused = { code: 'CREDENCE_E_UNAUTHENTICATED' };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'credence-auth-'));
  file = join(dir, 'keys.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a key changed by another connection', () => {
  it('is refused, or read again, on the next check after that connection committed', async () => {
    const server = open();
    const other = open();
    const version = server.prepare('PRAGMA data_version').pluck();
    const auth = new Authenticator(
      new SqliteKeyStore(server),
      () => 1_000,
      new DataWatch(() => version.get() as number),
    );
    const theirs = new Authenticator(new SqliteKeyStore(other), () => 1_000);
    const rp = await auth.issue({ role: 'relying-party', name: 'rp', purposes: ['tenancy'] });
    const person = await auth.issue({ role: 'person', name: 'p', subject: 's1' });
    const furnisher = await auth.issue({ role: 'furnisher', name: 'f', source: 'bank' });
    for (const k of [rp, person, furnisher]) await auth.authenticate(`Bearer ${k.token}`);
    expect(auth.cached(`Bearer ${rp.token}`)?.role).toBe('relying-party');

    // Revoked by the other connection: refused at once, by the cached check and by authenticate.
    expect(theirs.revoke(rp.key.keyId)).toBe(true);
    await nextTurn();
    expect(auth.cached(`Bearer ${rp.token}`)).toBeUndefined();
    await expect(auth.authenticate(`Bearer ${rp.token}`)).rejects.toMatchObject(refused);
    // Keys untouched are read again (the version says only that some key changed) and still pass.
    expect((await auth.authenticate(`Bearer ${person.token}`)).subject).toBe('s1');
    expect(auth.cached(`Bearer ${person.token}`)?.role).toBe('person');

    // A hash replaced in the file (a hand edit) is the token's no more: scrypt decides again.
    other
      .prepare('UPDATE api_keys SET hash = ? WHERE key_id = ?')
      .run(await hashKey('cred_fu_somethingelse'), furnisher.key.keyId);
    await nextTurn();
    expect(auth.cached(`Bearer ${furnisher.token}`)).toBeUndefined();
    await expect(auth.authenticate(`Bearer ${furnisher.token}`)).rejects.toMatchObject(refused);
    expect(auth.verifiedBefore(`Bearer ${furnisher.token}`)).toBe(false);

    // Deleted outright: refused as unknown.
    other.prepare('DELETE FROM api_keys WHERE key_id = ?').run(person.key.keyId);
    await nextTurn();
    expect(auth.cached(`Bearer ${person.token}`)).toBeUndefined();
    await expect(auth.authenticate(`Bearer ${person.token}`)).rejects.toMatchObject(refused);
    server.close();
    other.close();
  });

  it('costs no statement on the cached path while no other connection commits', async () => {
    const server = open();
    const other = open();
    const version = server.prepare('PRAGMA data_version').pluck();
    const reads = { dataVersion: 0, keyVersion: 0, rows: 0 };
    const store = new SqliteKeyStore(server);
    const counted: KeyStore = {
      ...Object.fromEntries(
        (['insert', 'revoke', 'list', 'page', 'sourceKeys', 'atomically'] as const).map((m) => [
          m,
          (store[m] as (...a: unknown[]) => unknown).bind(store),
        ]),
      ),
      get: (id: string) => {
        reads.rows++;
        return store.get(id);
      },
      version: () => {
        reads.keyVersion++;
        return (store.version as () => number)();
      },
    } as KeyStore;
    const watch = new DataWatch(() => {
      reads.dataVersion++;
      return version.get() as number;
    });
    // Issued before the server starts, as keys are (its own writes move the version too).
    const rp = await new Authenticator(new SqliteKeyStore(other), () => 1_000).issue({
      role: 'relying-party',
      name: 'rp',
      purposes: ['tenancy'],
    });
    const auth = new Authenticator(counted, () => 1_000, watch);
    await auth.authenticate(`Bearer ${rp.token}`);
    await nextTurn();
    Object.assign(reads, { dataVersion: 0, keyVersion: 0, rows: 0 });
    for (let turn = 0; turn < 3; turn++) {
      for (let i = 0; i < 50; i++) expect(auth.cached(`Bearer ${rp.token}`)?.role).toBe('relying-party');
      await nextTurn();
    }
    // data_version once a turn (the score route's own reading), nothing else.
    expect(reads).toEqual({ dataVersion: 3, keyVersion: 0, rows: 0 });
    // Another connection commits something that is not a key: the key version is read, once.
    other.exec('CREATE TABLE IF NOT EXISTS unrelated (x); INSERT INTO unrelated VALUES (1)');
    for (let i = 0; i < 50; i++) expect(auth.cached(`Bearer ${rp.token}`)?.role).toBe('relying-party');
    expect(reads).toEqual({ dataVersion: 4, keyVersion: 1, rows: 0 });
    server.close();
    other.close();
  });

  it('is refused when revoked while its first verification runs', async () => {
    const server = open();
    const other = open();
    const version = server.prepare('PRAGMA data_version').pluck();
    const auth = new Authenticator(
      new SqliteKeyStore(server),
      () => 1_000,
      new DataWatch(() => version.get() as number),
    );
    const theirs = new Authenticator(new SqliteKeyStore(other), () => 1_000);
    const rp = await theirs.issue({ role: 'relying-party', name: 'rp', purposes: ['tenancy'] });
    const pending = auth.authenticate(`Bearer ${rp.token}`);
    theirs.revoke(rp.key.keyId);
    await expect(pending).rejects.toMatchObject(refused);
    expect(auth.cached(`Bearer ${rp.token}`)).toBeUndefined();
    server.close();
    other.close();
  });
});
